/*
 * edgernn_matvec_s8.c - int8 x int16 matrix-vector product with int32 sums (int8 variant).
 *
 * out[r] = bias[r] + sum_c W[r][c] vec[c] (bias may be NULL), for r < rows. The int8
 * activations were widened to int16 once per step (edgernn_widen_s8, which also writes a zero
 * after an odd count) so every row reuses them. W is in the row-pair layout of
 * edgernn/quant/layout.py (to_pair_layout): rows and columns padded to even counts, rows
 * 2p, 2p+1 packed into int16 values v = 256 w[2p+1][c] + w[2p][c], blocks of four rows (a last
 * block of two), and per column pair one word (v[c], v[c+1]) per row pair. Integer sums are
 * exact (the quantizer proves each row's sum fits int32), so both paths below give identical
 * results.
 *
 * Arm DSP path (__ARM_FEATURE_DSP with GCC/Clang inline assembly: Cortex-M4/M7/M33...): for a
 * row pair, s1 = sum SMLAD(word, x) = 256 * odd + even and s2 = sum SMLAD(SXTB16(word), x) =
 * even, so the odd row is (s1 - s2) >> 8: one load, one SXTB16 and two SMLAD per four MACs
 * (two SXTB16 are needed when each word holds four bytes of one row). The subtraction is
 * exact modulo 2^32 as long as the odd row's partial sum stays below 2^23, so columns are
 * summed in chunks of EDGERNN_MATVEC_S8_CHUNK (128 * 127 * 512 < 2^23). Inner loop: batches
 * of 4 columns x 4 rows (eight per loop iteration in the assembly block kernel), each six
 * pipelined loads and twelve DSP instructions: 19 cycles per 16 MACs on a Cortex-M4 plus 4 per
 * iteration, about 1.2 cycles/MAC from SRAM. The weights are read strictly in order, so from
 * the STM32L4+ flash each 32-byte line costs one miss (5 wait states) per 32 MACs. The loads
 * of a batch go weight word, weight word, input, input, weight word, weight word: the two
 * input loads from SRAM sit between the batch's two 8-byte flash words, so the second has
 * (nearly) arrived from the line fill when it is read (about 7 stall cycles per line where
 * inputs-first had 9 to 11).
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

/** Most columns summed before the row-pair sums are unpacked (see above). */
#define EDGERNN_MATVEC_S8_CHUNK 512

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__) && \
    defined(__thumb2__)

/* One batch: two column pairs of a four-row block (16 MACs). w0/w1: column pair 0, row pairs
 * 0/1; w2/w3: column pair 1. The raw word accumulates into s1*, its SXTB16 into s2*. */
#define EDGERNN_S8_BATCH                                    \
    "ldr   %[w0], [%[wp]], #16\n\t"                         \
    "ldr   %[w1], [%[wp], #-12]\n\t"                        \
    "ldr   %[x0], [%[xp]], #8\n\t"                          \
    "ldr   %[x1], [%[xp], #-4]\n\t"                         \
    "ldr   %[w2], [%[wp], #-8]\n\t"                         \
    "ldr   %[w3], [%[wp], #-4]\n\t"                         \
    "smlad %[s1a], %[w0], %[x0], %[s1a]\n\t"                \
    "sxtb16 %[w0], %[w0]\n\t"                               \
    "smlad %[s2a], %[w0], %[x0], %[s2a]\n\t"                \
    "smlad %[s1b], %[w1], %[x0], %[s1b]\n\t"                \
    "sxtb16 %[w1], %[w1]\n\t"                               \
    "smlad %[s2b], %[w1], %[x0], %[s2b]\n\t"                \
    "smlad %[s1a], %[w2], %[x1], %[s1a]\n\t"                \
    "sxtb16 %[w2], %[w2]\n\t"                               \
    "smlad %[s2a], %[w2], %[x1], %[s2a]\n\t"                \
    "smlad %[s1b], %[w3], %[x1], %[s1b]\n\t"                \
    "sxtb16 %[w3], %[w3]\n\t"                               \
    "smlad %[s2b], %[w3], %[x1], %[s2b]\n\t"

#define EDGERNN_S8_OPERANDS                                                              \
    [x0] "=&r"(x0), [x1] "=&r"(x1), [w0] "=&r"(w0), [w1] "=&r"(w1), [w2] "=&r"(w2),       \
    [w3] "=&r"(w3), [s1a] "+r"(s1a), [s2a] "+r"(s2a), [s1b] "+r"(s1b), [s2b] "+r"(s2b),   \
    [xp] "+r"(xp), [wp] "+r"(wp)

/* Column pairs [0, pairs) of a four-row block into s1a/s2a (rows 0-1) and s1b/s2b (rows
 * 2-3). Batches of two column pairs, four per loop iteration; the first iteration enters the
 * unrolled loop part way (Duff's device) so that any batch count runs in one loop. */
#define EDGERNN_S8_BLOCK4(w, vec, pairs)                                                   \
    do {                                                                                   \
        const int32_t batches_ = (pairs) / 2;                                              \
        const int16_t *xp = (vec);                                                         \
        const int8_t *wp = (w);                                                            \
        if (batches_ > 0) {                                                                \
            const int16_t *const end_ = xp + 4 * batches_;                                 \
            int32_t x0 = batches_ % 4, x1, w0, w1, w2, w3;                                 \
            __asm__ volatile(                                                              \
                "cmp   %[x0], #1\n\t"                                                     \
                "beq   11f\n\t"                                                            \
                "cmp   %[x0], #2\n\t"                                                     \
                "beq   12f\n\t"                                                            \
                "cmp   %[x0], #3\n\t"                                                     \
                "beq   13f\n\t"                                                            \
                "10:\n\t" EDGERNN_S8_BATCH                                                 \
                "13:\n\t" EDGERNN_S8_BATCH                                                 \
                "12:\n\t" EDGERNN_S8_BATCH                                                 \
                "11:\n\t" EDGERNN_S8_BATCH                                                 \
                "cmp   %[xp], %[end]\n\t"                                                 \
                "bne   10b\n\t"                                                            \
                : [x0] "+&r"(x0), [x1] "=&r"(x1), [w0] "=&r"(w0), [w1] "=&r"(w1),          \
                  [w2] "=&r"(w2), [w3] "=&r"(w3), [s1a] "+r"(s1a), [s2a] "+r"(s2a),        \
                  [s1b] "+r"(s1b), [s2b] "+r"(s2b), [xp] "+r"(xp), [wp] "+r"(wp)           \
                : [end] "r"(end_)                                                          \
                : "cc", "memory");                                                         \
        }                                                                                  \
        if ((pairs) % 2) { /* last column pair */                                          \
            int32_t xa, wa, wb;                                                            \
            __asm__ volatile(                                                              \
                "ldr   %[xa], [%[xp]]\n\t"                                                 \
                "ldr   %[wa], [%[wp]]\n\t"                                                 \
                "ldr   %[wb], [%[wp], #4]\n\t"                                             \
                "smlad %[s1a], %[wa], %[xa], %[s1a]\n\t"                                   \
                "sxtb16 %[wa], %[wa]\n\t"                                                  \
                "smlad %[s2a], %[wa], %[xa], %[s2a]\n\t"                                   \
                "smlad %[s1b], %[wb], %[xa], %[s1b]\n\t"                                   \
                "sxtb16 %[wb], %[wb]\n\t"                                                  \
                "smlad %[s2b], %[wb], %[xa], %[s2b]\n\t"                                   \
                : [xa] "=&r"(xa), [wa] "=&r"(wa), [wb] "=&r"(wb), [s1a] "+r"(s1a),         \
                  [s2a] "+r"(s2a), [s1b] "+r"(s1b), [s2b] "+r"(s2b)                        \
                : [xp] "r"(xp), [wp] "r"(wp)                                               \
                : "memory");                                                               \
        }                                                                                  \
    } while (0)


/*
 * edgernn_matvec_s8_dsp4(w, vec, bias, out, blocks, pairs): `blocks` full four-row blocks of at
 * most EDGERNN_MATVEC_S8_CHUNK columns (`pairs` column pairs), bias NULL or one per row, in
 * Thumb-2 assembly so that nothing spills: per block about 45 cycles besides the MACs.
 * Registers: r0 weights, r1 input, r2 input end, r3/r4 s1/s2 of rows 0-1, r5/r6 of rows 2-3,
 * r7/r8 input pairs, r9-r12 weight words, lr block counter. Stack: [0] vec, [4] bias, [8] out,
 * [12] loop entry (Duff's device: batches % 8), [16] pairs odd, [20] [24] the block's odd-row
 * biases (0 without bias).
 */
void edgernn_matvec_s8_dsp4(const int8_t *w, const int16_t *vec, const int32_t *bias,
                            int32_t *out, int32_t blocks, int32_t pairs);

#define EDGERNN_S8_ASM_BATCH                \
    "ldr.w  r9, [r0], #16\n\t"              \
    "ldr.w  r10, [r0, #-12]\n\t"            \
    "ldr.w  r7, [r1], #8\n\t"               \
    "ldr.w  r8, [r1, #-4]\n\t"              \
    "ldr.w  r11, [r0, #-8]\n\t"             \
    "ldr.w  r12, [r0, #-4]\n\t"             \
    "smlad  r3, r9, r7, r3\n\t"             \
    "sxtb16 r9, r9\n\t"                     \
    "smlad  r4, r9, r7, r4\n\t"             \
    "smlad  r5, r10, r7, r5\n\t"            \
    "sxtb16 r10, r10\n\t"                   \
    "smlad  r6, r10, r7, r6\n\t"            \
    "smlad  r3, r11, r8, r3\n\t"            \
    "sxtb16 r11, r11\n\t"                   \
    "smlad  r4, r11, r8, r4\n\t"            \
    "smlad  r5, r12, r8, r5\n\t"            \
    "sxtb16 r12, r12\n\t"                   \
    "smlad  r6, r12, r8, r6\n\t"

__asm__(
    "  .text\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .p2align 2\n"
    "  .global edgernn_matvec_s8_dsp4\n"
    "  .type edgernn_matvec_s8_dsp4, %function\n"
    "  .thumb_func\n"
    "edgernn_matvec_s8_dsp4:\n\t"
    "push   {r4-r11, lr}\n\t"
    "sub    sp, sp, #32\n\t"
    "str    r1, [sp, #0]\n\t"
    "str    r2, [sp, #4]\n\t"
    "str    r3, [sp, #8]\n\t"
    "movs   r4, #0\n\t"                 /* odd-row biases of a bias-less product */
    "movs   r5, #0\n\t"
    "strd   r4, r5, [sp, #20]\n\t"
    "ldr    lr, [sp, #68]\n\t"          /* blocks */
    "ldr    r7, [sp, #72]\n\t"          /* pairs */
    "and    r8, r7, #1\n\t"
    "str    r8, [sp, #16]\n\t"
    "lsrs   r7, r7, #1\n\t"             /* batches of two column pairs */
    "add    r2, r1, r7, lsl #3\n\t"     /* input end: 8 bytes per batch */
    "adr.w  r9, .Ls8_after\n\t"
    "cbz    r7, .Ls8_entry\n\t"
    "and    r8, r7, #7\n\t"             /* batches % 8 run first */
    "rsb    r8, r8, #8\n\t"
    "and    r8, r8, #7\n\t"
    "movs   r10, #72\n\t"               /* bytes per batch */
    "mul    r8, r8, r10\n\t"
    "adr.w  r9, .Ls8_b8\n\t"
    "add    r9, r9, r8\n"
    ".Ls8_entry:\n\t"
    "orr    r9, r9, #1\n\t"             /* Thumb bit */
    "str    r9, [sp, #12]\n\t"
    "cmp    lr, #0\n\t"
    "beq    .Ls8_done\n"
    ".Ls8_block:\n\t"
    "ldr    r1, [sp, #0]\n\t"
    "ldr    r7, [sp, #4]\n\t"
    "cmp    r7, #0\n\t"
    "beq    .Ls8_nobias\n\t"
    "ldm    r7!, {r3, r4, r5, r6}\n\t"  /* b0..b3; b1, b3 are added after the sums */
    "str    r7, [sp, #4]\n\t"
    "strd   r4, r6, [sp, #20]\n\t"      /* b1, b3 kept in SRAM: a flash re-read would miss */
    "mov    r4, r3\n\t"
    "mov    r6, r5\n"
    ".Ls8_go:\n\t"
    "ldr    r7, [sp, #12]\n\t"
    "bx     r7\n"
    ".Ls8_b8:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b7:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b6:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b5:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b4:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b3:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b2:\n\t" EDGERNN_S8_ASM_BATCH
    ".Ls8_b1:\n\t" EDGERNN_S8_ASM_BATCH
    "cmp    r1, r2\n\t"
    "bne    .Ls8_b8\n"
    ".Ls8_after:\n\t"
    "ldr    r7, [sp, #16]\n\t"
    "cbz    r7, .Ls8_unpack\n\t"
    "ldr    r7, [r1]\n\t"               /* the odd column pair */
    "ldr    r9, [r0], #8\n\t"
    "ldr    r10, [r0, #-4]\n\t"
    "smlad  r3, r9, r7, r3\n\t"
    "sxtb16 r9, r9\n\t"
    "smlad  r4, r9, r7, r4\n\t"
    "smlad  r5, r10, r7, r5\n\t"
    "sxtb16 r10, r10\n\t"
    "smlad  r6, r10, r7, r6\n"
    ".Ls8_unpack:\n\t"
    "sub    r8, r5, r6\n\t"             /* odd rows: b + (s1 - s2) >> 8 */
    "sub    r5, r3, r4\n\t"
    "ldrd   r9, r10, [sp, #20]\n\t"
    "add    r5, r9, r5, asr #8\n\t"
    "add    r8, r10, r8, asr #8\n\t"
    "ldr    r7, [sp, #8]\n\t"
    "stm    r7!, {r4, r5, r6, r8}\n\t"  /* rows 0, 1, 2, 3 */
    "str    r7, [sp, #8]\n\t"
    "subs   lr, lr, #1\n\t"
    "bne    .Ls8_block\n"
    ".Ls8_done:\n\t"
    "add    sp, sp, #32\n\t"
    "pop    {r4-r11, pc}\n"
    ".Ls8_nobias:\n\t"
    "movs   r3, #0\n\t"
    "movs   r4, #0\n\t"
    "movs   r5, #0\n\t"
    "movs   r6, #0\n\t"
    "b      .Ls8_go\n"
    "  .if (.Ls8_b7 - .Ls8_b8) != 72 || (.Ls8_b1 - .Ls8_b2) != 72 || (.Ls8_b1 - .Ls8_b8) != 504\n"
    "  .error \"edgernn_matvec_s8_dsp4: a batch must be 72 bytes\"\n"
    "  .endif\n"
    "  .size edgernn_matvec_s8_dsp4, . - edgernn_matvec_s8_dsp4\n");

void edgernn_matvec_s8(const int8_t *mat, const int16_t *vec, const int32_t *bias, int32_t rows,
                       int32_t cols, int32_t *out)
{
    const int32_t padded_rows = rows + (rows & 1);
    const int32_t pairs = (cols + 1) / 2;
    const int8_t *w = mat;
    int32_t r = 0;
    if (pairs <= EDGERNN_MATVEC_S8_CHUNK / 2 && rows >= 4) { /* the bulk, in assembly */
        const int32_t blocks = rows / 4;
        edgernn_matvec_s8_dsp4(mat, vec, bias, out, blocks, pairs);
        r = 4 * blocks;
        w = mat + (size_t)r * (size_t)(2 * pairs);
    }
    if (pairs <= EDGERNN_MATVEC_S8_CHUNK / 2) { /* every zoo model: one chunk */
        if (r + 4 <= padded_rows) { /* a last block of three rows (and a zero row) */
            int32_t sums[4];
            edgernn_matvec_s8_dsp4(w, vec, NULL, sums, 1, pairs);
            out[r] = sums[0] + edgernn_bias_at(bias, r, rows);
            out[r + 1] = sums[1] + edgernn_bias_at(bias, r + 1, rows);
            out[r + 2] = sums[2] + edgernn_bias_at(bias, r + 2, rows);
            r += 4;
        }
    } else { /* long rows: the block in column chunks, unpacked after each */
        for (; r + 4 <= padded_rows; r += 4) {
            int32_t even0 = edgernn_bias_at(bias, r, rows);
            int32_t even1 = edgernn_bias_at(bias, r + 2, rows);
            int32_t odd0 = edgernn_bias_at(bias, r + 1, rows);
            int32_t odd1 = edgernn_bias_at(bias, r + 3, rows);
            int32_t done;
            for (done = 0; done < pairs; done += EDGERNN_MATVEC_S8_CHUNK / 2) {
                const int32_t n = (pairs - done < EDGERNN_MATVEC_S8_CHUNK / 2)
                                      ? pairs - done : EDGERNN_MATVEC_S8_CHUNK / 2;
                int32_t s1a = even0, s2a = even0, s1b = even1, s2b = even1;
                EDGERNN_S8_BLOCK4(w + 8 * done, vec + 2 * done, n);
                even0 = s2a;
                odd0 += edgernn_pair_odd_row(s1a, s2a);
                even1 = s2b;
                odd1 += edgernn_pair_odd_row(s1b, s2b);
            }
            out[r] = even0;
            out[r + 1] = odd0;
            out[r + 2] = even1;
            if (r + 3 < rows) {
                out[r + 3] = odd1;
            }
            w += 8 * pairs;
        }
    }
    if (r < padded_rows) { /* a last block of one row pair */
        int32_t even = edgernn_bias_at(bias, r, rows);
        int32_t odd = edgernn_bias_at(bias, r + 1, rows);
        int32_t done;
        for (done = 0; done < pairs; done += EDGERNN_MATVEC_S8_CHUNK / 2) {
            const int32_t n = (pairs - done < EDGERNN_MATVEC_S8_CHUNK / 2)
                                  ? pairs - done : EDGERNN_MATVEC_S8_CHUNK / 2;
            int32_t s1 = even, s2 = even;
            int32_t k;
            for (k = done; k < done + n; ++k) {
                int32_t xa, wa;
                __asm__ volatile(
                    "ldr   %[xa], [%[xp]]\n\t"
                    "ldr   %[wa], [%[wp]]\n\t"
                    "smlad %[s1], %[wa], %[xa], %[s1]\n\t"
                    "sxtb16 %[wa], %[wa]\n\t"
                    "smlad %[s2], %[wa], %[xa], %[s2]\n\t"
                    : [xa] "=&r"(xa), [wa] "=&r"(wa), [s1] "+r"(s1), [s2] "+r"(s2)
                    : [xp] "r"(vec + 2 * k), [wp] "r"(w + 4 * k)
                    : "memory");
            }
            even = s2;
            odd += edgernn_pair_odd_row(s1, s2);
        }
        out[r] = even;
        if (r + 1 < rows) {
            out[r + 1] = odd;
        }
    }
}

#else /* portable C: the same bytes, each weight decoded */

void edgernn_matvec_s8(const int8_t *mat, const int16_t *vec, const int32_t *bias, int32_t rows,
                       int32_t cols, int32_t *out)
{
    const int32_t padded_rows = rows + (rows & 1);
    const int32_t pairs = (cols + 1) / 2;
    const int8_t *block = mat;
    int32_t r;
    for (r = 0; r < padded_rows; r += 4) {
        const int32_t row_pairs = (padded_rows - r >= 4) ? 2 : 1;
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
                    const int32_t c = 2 * k + half;
                    const int32_t v = (int16_t)(uint16_t)(word[2 * half] |
                                                          (word[2 * half + 1] << 8));
                    const int32_t low = (int8_t)word[2 * half]; /* w[r0][c] */
                    const int32_t x = (c < cols) ? vec[c] : 0;
                    even += x * low;
                    odd += x * ((v - low) / 256); /* w[r0 + 1][c], exact */
                }
            }
            out[r0] = even;
            if (r0 + 1 < rows) {
                out[r0 + 1] = odd;
            }
        }
        block += (size_t)(4 * row_pairs) * (size_t)pairs;
    }
}

#endif
