/*
 * edgernn_matmul2_s8.c - one int8 matrix times two int16 vectors (two time steps), int32 sums:
 * out0[r] = bias[r] + sum_c W[r][c] x0[c] and out1[r] = bias[r] + sum_c W[r][c] x1[c].
 *
 * Why: the input part of a recurrent layer and a dense head do not depend on the previous
 * step, so the whole-sequence call computes them two steps at a time (the survey's
 * multi-time-step parallelization) and every weight word loaded and sign-extended serves both
 * steps. W is in the row-pair layout of edgernn_matvec_s8 (edgernn/quant/layout.py). The two
 * vectors come interleaved by column pair (edgernn_widen2_s8): int16 values
 * vec2[4k .. 4k+3] = (x0[2k], x0[2k+1], x1[2k], x1[2k+1]), the odd column's pair padded with 0.
 *
 * Arm DSP path: per column pair of a four-row block, three loads (both input words, the first
 * row pair's weights), SMLAD into the packed sums of both vectors, SXTB16, SMLAD into the even
 * sums, then the same for the second row pair: 16 cycles per 16 MACs on a Cortex-M4 against 19
 * for edgernn_matvec_s8. Sums are exact, so the portable C path gives the same integers.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

/* Columns one pass sums before the packed row-pair sums are unpacked (edgernn_matvec_s8.c). */
#define EDGERNN_MATMUL2_S8_MAX_PAIRS 256

/* Rows [r, r + 2 * row_pairs) of one block, vector v, portable: each weight decoded. */
static void block_rows_portable(const int8_t *block, int32_t row_pairs, const int16_t *vec2,
                                int32_t v, const int32_t *bias, int32_t r, int32_t rows,
                                int32_t pairs, int32_t *out)
{
    int32_t j;
    for (j = 0; j < row_pairs; ++j) {
        const int32_t r0 = r + 2 * j;
        int32_t even = (bias != NULL) ? bias[r0] : 0;
        int32_t odd = (bias != NULL && r0 + 1 < rows) ? bias[r0 + 1] : 0;
        int32_t k;
        for (k = 0; k < pairs; ++k) {
            const uint8_t *const word =
                (const uint8_t *)(block + 4 * ((size_t)k * (size_t)row_pairs + (size_t)j));
            int32_t half;
            for (half = 0; half < 2; ++half) {
                const int32_t v16 = (int16_t)(uint16_t)(word[2 * half] |
                                                        (word[2 * half + 1] << 8));
                const int32_t low = (int8_t)word[2 * half];
                const int32_t x = vec2[4 * k + 2 * v + half];
                even += x * low;
                odd += x * ((v16 - low) / 256);
            }
        }
        out[r0] = even;
        if (r0 + 1 < rows) {
            out[r0 + 1] = odd;
        }
    }
}

/* Rows from `r` on (blocks of four, a last one of two), both vectors, portable. */
static void rows_portable(const int8_t *block, const int16_t *vec2, const int32_t *bias,
                          int32_t r, int32_t rows, int32_t cols, int32_t *out0, int32_t *out1)
{
    const int32_t padded_rows = rows + (rows & 1);
    const int32_t pairs = (cols + 1) / 2;
    for (; r < padded_rows; r += 4) {
        const int32_t row_pairs = (padded_rows - r >= 4) ? 2 : 1;
        block_rows_portable(block, row_pairs, vec2, 0, bias, r, rows, pairs, out0);
        block_rows_portable(block, row_pairs, vec2, 1, bias, r, rows, pairs, out1);
        block += (size_t)(4 * row_pairs) * (size_t)pairs;
    }
}

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__) && \
    defined(__thumb2__)

/*
 * edgernn_matmul2_s8_dsp4(w, vec2, bias, out0, out1, blocks, pairs): `blocks` full four-row
 * blocks of at most EDGERNN_MATMUL2_S8_MAX_PAIRS column pairs. Registers: r0 weights, r1 input,
 * r2 input end; v0's sums in r3-r6 (row pair 0: even, packed; row pair 1: even, packed), v1's in
 * r7-r10 in the same order, so that after unpacking each vector's four rows are stored by one
 * STM; r11/r12 the input words of v0/v1, lr the weight word. Stack: [0] vec2, [4] bias (next
 * block), [8] out0, [12] out1, [16] loop entry (Duff's device: pairs % 8), [20] [24] the
 * block's odd-row biases (0 without bias: kept in SRAM, a flash re-read after the block's
 * weights would miss the data cache), [28] end of out0. Per block about 60 cycles besides the
 * MACs (was 85 with the biases re-read, the unpack and the bias add apart, and STRD stores).
 */
void edgernn_matmul2_s8_dsp4(const int8_t *w, const int16_t *vec2, const int32_t *bias,
                             int32_t *out0, int32_t *out1, int32_t blocks, int32_t pairs);

#define EDGERNN_MM2_BATCH                    \
    "ldr.w   r11, [r1], #8\n\t"              \
    "ldr.w   r12, [r1, #-4]\n\t"             \
    "ldr.w   lr, [r0], #8\n\t"               \
    "smlad   r4, lr, r11, r4\n\t"            \
    "smlad   r8, lr, r12, r8\n\t"            \
    "sxtb16  lr, lr\n\t"                     \
    "smlad   r3, lr, r11, r3\n\t"            \
    "smlad   r7, lr, r12, r7\n\t"            \
    "ldr.w   lr, [r0, #-4]\n\t"              \
    "smlad   r6, lr, r11, r6\n\t"            \
    "smlad   r10, lr, r12, r10\n\t"          \
    "sxtb16  lr, lr\n\t"                     \
    "smlad   r5, lr, r11, r5\n\t"            \
    "smlad   r9, lr, r12, r9\n\t"

__asm__(
    "  .text\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .p2align 2\n"
    "  .global edgernn_matmul2_s8_dsp4\n"
    "  .type edgernn_matmul2_s8_dsp4, %function\n"
    "  .thumb_func\n"
    "edgernn_matmul2_s8_dsp4:\n\t"
    "push    {r4-r11, lr}\n\t"
    "sub     sp, sp, #32\n\t"
    "str     r1, [sp, #0]\n\t"
    "str     r2, [sp, #4]\n\t"
    "str     r3, [sp, #8]\n\t"
    "ldr     r4, [sp, #68]\n\t"          /* out1 */
    "str     r4, [sp, #12]\n\t"
    "ldr     r4, [sp, #72]\n\t"          /* blocks */
    "add     r6, r3, r4, lsl #4\n\t"     /* end of out0: 16 bytes per block */
    "str     r6, [sp, #28]\n\t"
    "movs    r6, #0\n\t"                 /* odd-row biases without bias */
    "movs    r7, #0\n\t"
    "strd    r6, r7, [sp, #20]\n\t"
    "ldr     r5, [sp, #76]\n\t"          /* pairs */
    "add     r2, r1, r5, lsl #3\n\t"     /* input end: 8 bytes per column pair */
    "and     r6, r5, #7\n\t"             /* pairs % 8 run first */
    "rsb     r6, r6, #8\n\t"
    "and     r6, r6, #7\n\t"
    "movs    r7, #56\n\t"                /* bytes per batch */
    "mul     r6, r6, r7\n\t"
    "adr.w   r7, .Lmm2_b8\n\t"
    "add     r7, r7, r6\n\t"
    "orr     r7, r7, #1\n\t"             /* Thumb bit */
    "str     r7, [sp, #16]\n\t"
    "cmp     r4, #0\n\t"
    "beq     .Lmm2_done\n"
    ".Lmm2_block:\n\t"
    "ldr     r1, [sp, #0]\n\t"
    "ldr     r7, [sp, #4]\n\t"
    "cmp     r7, #0\n\t"
    "beq     .Lmm2_nobias\n\t"
    "ldm     r7!, {r3, r4, r5, r6}\n\t"  /* b0 .. b3 */
    "str     r7, [sp, #4]\n\t"
    "strd    r4, r6, [sp, #20]\n\t"      /* b1, b3: added after the sums */
    "mov     r4, r3\n\t"
    "mov     r7, r3\n\t"
    "mov     r8, r3\n\t"
    "mov     r6, r5\n\t"
    "mov     r9, r5\n\t"
    "mov     r10, r5\n"
    ".Lmm2_go:\n\t"
    "ldr     r11, [sp, #16]\n\t"
    "bx      r11\n"
    ".Lmm2_b8:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b7:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b6:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b5:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b4:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b3:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b2:\n\t" EDGERNN_MM2_BATCH
    ".Lmm2_b1:\n\t" EDGERNN_MM2_BATCH
    "cmp     r1, r2\n\t"
    "bne     .Lmm2_b8\n\t"
    "ldrd    r11, r12, [sp, #20]\n\t"    /* odd rows: b + (packed - even) >> 8 */
    "sub     r4, r4, r3\n\t"
    "add     r4, r11, r4, asr #8\n\t"
    "sub     r8, r8, r7\n\t"
    "add     r8, r11, r8, asr #8\n\t"
    "sub     r6, r6, r5\n\t"
    "add     r6, r12, r6, asr #8\n\t"
    "sub     r10, r10, r9\n\t"
    "add     r10, r12, r10, asr #8\n\t"
    "ldr     r11, [sp, #8]\n\t"
    "ldr     r12, [sp, #12]\n\t"
    "stm     r11!, {r3, r4, r5, r6}\n\t"  /* v0: rows 0 .. 3 */
    "stm     r12!, {r7, r8, r9, r10}\n\t" /* v1: rows 0 .. 3 */
    "str     r11, [sp, #8]\n\t"
    "str     r12, [sp, #12]\n\t"
    "ldr     r1, [sp, #28]\n\t"
    "cmp     r11, r1\n\t"
    "bne     .Lmm2_block\n"
    ".Lmm2_done:\n\t"
    "add     sp, sp, #32\n\t"
    "pop     {r4-r11, pc}\n"
    ".Lmm2_nobias:\n\t"
    "movs    r3, #0\n\t"
    "movs    r4, #0\n\t"
    "movs    r5, #0\n\t"
    "movs    r6, #0\n\t"
    "movs    r7, #0\n\t"
    "mov     r8, #0\n\t"
    "mov     r9, #0\n\t"
    "mov     r10, #0\n\t"
    "b       .Lmm2_go\n"
    "  .if (.Lmm2_b7 - .Lmm2_b8) != 56 || (.Lmm2_b1 - .Lmm2_b2) != 56 || (.Lmm2_b1 - .Lmm2_b8) != 392\n"
    "  .error \"edgernn_matmul2_s8_dsp4: a batch must be 56 bytes\"\n"
    "  .endif\n"
    "  .size edgernn_matmul2_s8_dsp4, . - edgernn_matmul2_s8_dsp4\n");


void edgernn_matmul2_s8(const int8_t *mat, const int16_t *vec2, const int32_t *bias,
                        int32_t rows, int32_t cols, int32_t *out0, int32_t *out1)
{
    const int32_t padded_rows = rows + (rows & 1);
    const int32_t pairs = (cols + 1) / 2;
    const int8_t *w;
    int32_t r = 0;
    if (pairs < 1 || pairs > EDGERNN_MATMUL2_S8_MAX_PAIRS) { /* long rows: portable */
        rows_portable(mat, vec2, bias, 0, rows, cols, out0, out1);
        return;
    }
    if (rows >= 4) {
        const int32_t blocks = rows / 4;
        edgernn_matmul2_s8_dsp4(mat, vec2, bias, out0, out1, blocks, pairs);
        r = 4 * blocks;
    }
    w = mat + (size_t)r * (size_t)(2 * pairs);
    if (r + 4 <= padded_rows) { /* a last block of three rows (and a zero row) */
        int32_t sums0[4], sums1[4], i;
        edgernn_matmul2_s8_dsp4(w, vec2, NULL, sums0, sums1, 1, pairs);
        for (i = 0; i < 3; ++i) {
            out0[r + i] = sums0[i] + edgernn_bias_at(bias, r + i, rows);
            out1[r + i] = sums1[i] + edgernn_bias_at(bias, r + i, rows);
        }
    } else if (r < padded_rows) { /* a last block of one row pair */
        int32_t s1a = 0, s2a = 0, s1b = 0, s2b = 0;
        int32_t k;
        for (k = 0; k < pairs; ++k) {
            int32_t xa, xb, wa;
            __asm__ volatile(
                "ldr    %[xa], [%[xp]]\n\t"
                "ldr    %[xb], [%[xp], #4]\n\t"
                "ldr    %[wa], [%[wp]]\n\t"
                "smlad  %[s1a], %[wa], %[xa], %[s1a]\n\t"
                "smlad  %[s1b], %[wa], %[xb], %[s1b]\n\t"
                "sxtb16 %[wa], %[wa]\n\t"
                "smlad  %[s2a], %[wa], %[xa], %[s2a]\n\t"
                "smlad  %[s2b], %[wa], %[xb], %[s2b]\n\t"
                : [xa] "=&r"(xa), [xb] "=&r"(xb), [wa] "=&r"(wa), [s1a] "+r"(s1a),
                  [s2a] "+r"(s2a), [s1b] "+r"(s1b), [s2b] "+r"(s2b)
                : [xp] "r"(vec2 + 4 * k), [wp] "r"(w + 4 * k)
                : "memory");
        }
        out0[r] = s2a + edgernn_bias_at(bias, r, rows);
        out1[r] = s2b + edgernn_bias_at(bias, r, rows);
        if (r + 1 < rows) {
            const int32_t b = edgernn_bias_at(bias, r + 1, rows);
            out0[r + 1] = edgernn_pair_odd_row(s1a, s2a) + b;
            out1[r + 1] = edgernn_pair_odd_row(s1b, s2b) + b;
        }
    }
}

#else /* portable C */

void edgernn_matmul2_s8(const int8_t *mat, const int16_t *vec2, const int32_t *bias,
                        int32_t rows, int32_t cols, int32_t *out0, int32_t *out1)
{
    rows_portable(mat, vec2, bias, 0, rows, cols, out0, out1);
}

#endif
