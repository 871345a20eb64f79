/*
 * edgernn_matvec_pair_f32.c - out = (A a + B b) + bias, float32: the inner loop of every layer.
 *
 * A is (rows, cols_a), B is (rows, cols_b) (cols_b may be 0, B and b then unused), bias may be
 * NULL. Both matrices are in the row-block layout of edgernn_types.h (EDGERNN_F32_ROW_BLOCK):
 * for each block of 8 rows, the 8 weights of column 0, then of column 1, ...; rows past the
 * last full block follow row-major. The code generator stores weights this way
 * (edgernn.codegen.float32.to_row_blocks).
 *
 * Rounding order: each row is one float32 accumulator starting at +0, adding w * x in column
 * order over A then B (one rounding for the product, one for the sum: no fused multiply-add),
 * then the bias. The portable C below and the Cortex-M4F assembly compute identical bits; the
 * C is the reference the assembly is checked against (tests/targets: device outputs equal host
 * outputs bit for bit).
 *
 * Why this layout and this loop (docs/codegen.md, "Float32 kernels", has the measurements): on
 * the STM32L4+ at 120 MHz the weights stream from 5-wait-state flash through the ART data
 * cache, one 32-byte line (8 floats) per fill; the first word of a line arrives 5 cycles late
 * and each further 64-bit word 6 cycles after the previous one. With 8-row blocks one column
 * of a block is exactly one line, every input value is loaded once per 8 multiply-adds, and the
 * weights are read strictly sequentially with VLDM. The assembly is software-pipelined per
 * line: load words 0 of line L (the miss), then do the multiply-adds of line L-1's words 1-3
 * and line L's word 0 (16 instructions, by then the rest of line L has arrived), then load
 * words 1-3 of line L in one VLDM; the only stall left is the 5-cycle miss of each line.
 * Multiplies and adds are separate VMUL/VADD (1 cycle each; VMLA/VFMA cost 3) interleaved so
 * no FP instruction consumes the result of the one just before it.
 */
#include "edgernn_functions.h"

#include <stddef.h>

/* Cortex-M4F (Armv7E-M, single-precision FPU, hard-float ABI) with GCC-style inline
 * assembly; -DEDGERNN_PORTABLE_KERNELS forces the portable C (to measure it on the device). */
#if defined(__GNUC__) && defined(__thumb2__) && defined(__ARM_ARCH_7EM__) && \
    defined(__ARM_FP) && ((__ARM_FP & 4) != 0) && defined(__ARM_PCS_VFP) && \
    !defined(EDGERNN_PORTABLE_KERNELS)
#define EDGERNN_MATVEC_PAIR_ASM 1
#else
#define EDGERNN_MATVEC_PAIR_ASM 0
#endif

#if EDGERNN_MATVEC_PAIR_ASM

/*
 * One pipelined line step: s10-s15 hold words 1-3 (rows 2-7) of the previous column, XP its
 * input value; XC is this column's input value. Accumulators are s0-s7.
 */
#define EDGERNN_LINE_STEP(XP, XC)              \
    "vldmia   %[w]!, {s8-s9}\n\t"              \
    "vmul.f32 s10, s10, " XP "\n\t"            \
    "vmul.f32 s11, s11, " XP "\n\t"            \
    "vadd.f32 s2, s2, s10\n\t"                 \
    "vmul.f32 s12, s12, " XP "\n\t"            \
    "vadd.f32 s3, s3, s11\n\t"                 \
    "vmul.f32 s13, s13, " XP "\n\t"            \
    "vadd.f32 s4, s4, s12\n\t"                 \
    "vmul.f32 s14, s14, " XP "\n\t"            \
    "vadd.f32 s5, s5, s13\n\t"                 \
    "vmul.f32 s15, s15, " XP "\n\t"            \
    "vadd.f32 s6, s6, s14\n\t"                 \
    "vmul.f32 s8, s8, " XC "\n\t"              \
    "vadd.f32 s7, s7, s15\n\t"                 \
    "vmul.f32 s9, s9, " XC "\n\t"              \
    "vadd.f32 s0, s0, s8\n\t"                  \
    "vadd.f32 s1, s1, s9\n\t"                  \
    "vldmia   %[w]!, {s10-s15}\n\t"

/* One block of 8 rows over both segments; out[0..7] written. */
static void block_f32(const float *w_a, const float *v_a, int32_t n_a, const float *w_b,
                      const float *v_b, int32_t n_b, const float *bias, float *out)
{
    const float *w = w_a;
    const float *v = v_a;
    int32_t n = n_a;
    int32_t count;
    __asm__ volatile(
        /* Accumulators and the pending previous column (s10-s15, x in s16) start at +0: the
         * first line step then adds 0 * 0 to rows 2-7, which leaves +0. */
        "movs     %[count], #0\n\t"
        "vmov     s0, s1, %[count], %[count]\n\t"
        "vmov     s2, s3, %[count], %[count]\n\t"
        "vmov     s4, s5, %[count], %[count]\n\t"
        "vmov     s6, s7, %[count], %[count]\n\t"
        "vmov     s10, s11, %[count], %[count]\n\t"
        "vmov     s12, s13, %[count], %[count]\n\t"
        "vmov     s14, s15, %[count], %[count]\n\t"
        "vmov     s16, %[count]\n\t"
        "0:\n\t"
        /* Columns in groups of 8: one VLDM of 8 inputs, 8 line steps. */
        "lsrs     %[count], %[n], #3\n\t"
        "beq      2f\n\t"
        "1:\n\t"
        "vldmia   %[v]!, {s17-s24}\n\t"
        EDGERNN_LINE_STEP("s16", "s17")
        EDGERNN_LINE_STEP("s17", "s18")
        EDGERNN_LINE_STEP("s18", "s19")
        EDGERNN_LINE_STEP("s19", "s20")
        EDGERNN_LINE_STEP("s20", "s21")
        EDGERNN_LINE_STEP("s21", "s22")
        EDGERNN_LINE_STEP("s22", "s23")
        EDGERNN_LINE_STEP("s23", "s24")
        "vmov.f32 s16, s24\n\t"
        "subs     %[count], %[count], #1\n\t"
        "bne      1b\n\t"
        "2:\n\t"
        /* The last n % 8 columns one at a time, same pipeline. */
        "ands     %[count], %[n], #7\n\t"
        "beq      4f\n\t"
        "3:\n\t"
        "vldmia   %[v]!, {s17}\n\t"
        EDGERNN_LINE_STEP("s16", "s17")
        "vmov.f32 s16, s17\n\t"
        "subs     %[count], %[count], #1\n\t"
        "bne      3b\n\t"
        "4:\n\t"
        /* Then the second segment, continuing the same pipeline and accumulators. */
        "movs     %[n], %[n_b]\n\t"
        "beq      5f\n\t"
        "mov      %[w], %[w_b]\n\t"
        "mov      %[v], %[v_b]\n\t"
        "movs     %[n_b], #0\n\t"
        "b        0b\n\t"
        "5:\n\t"
        /* Drain: rows 2-7 of the last column. */
        "vmul.f32 s10, s10, s16\n\t"
        "vmul.f32 s11, s11, s16\n\t"
        "vadd.f32 s2, s2, s10\n\t"
        "vmul.f32 s12, s12, s16\n\t"
        "vadd.f32 s3, s3, s11\n\t"
        "vmul.f32 s13, s13, s16\n\t"
        "vadd.f32 s4, s4, s12\n\t"
        "vmul.f32 s14, s14, s16\n\t"
        "vadd.f32 s5, s5, s13\n\t"
        "vmul.f32 s15, s15, s16\n\t"
        "vadd.f32 s6, s6, s14\n\t"
        "vadd.f32 s7, s7, s15\n\t"
        "cmp      %[bias], #0\n\t"
        "beq      6f\n\t"
        "vldmia   %[bias], {s8-s15}\n\t"
        "vadd.f32 s0, s0, s8\n\t"
        "vadd.f32 s1, s1, s9\n\t"
        "vadd.f32 s2, s2, s10\n\t"
        "vadd.f32 s3, s3, s11\n\t"
        "vadd.f32 s4, s4, s12\n\t"
        "vadd.f32 s5, s5, s13\n\t"
        "vadd.f32 s6, s6, s14\n\t"
        "vadd.f32 s7, s7, s15\n\t"
        "6:\n\t"
        "vstmia   %[out], {s0-s7}\n\t"
        : [w] "+&r"(w), [v] "+&r"(v), [n] "+&r"(n), [n_b] "+&r"(n_b), [count] "=&r"(count)
        : [w_b] "r"(w_b), [v_b] "r"(v_b), [bias] "r"(bias), [out] "r"(out)
        : "cc", "memory", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
          "s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21", "s22",
          "s23", "s24");
}

#else /* portable C: the reference the assembly must match bit for bit */

static void block_f32(const float *w_a, const float *v_a, int32_t n_a, const float *w_b,
                      const float *v_b, int32_t n_b, const float *bias, float *out)
{
    float acc[EDGERNN_F32_ROW_BLOCK] = {0.0f};
    int32_t k;
    int32_t r;
    for (k = 0; k < n_a; ++k) {
        for (r = 0; r < EDGERNN_F32_ROW_BLOCK; ++r) {
            acc[r] = acc[r] + w_a[r] * v_a[k];
        }
        w_a += EDGERNN_F32_ROW_BLOCK;
    }
    for (k = 0; k < n_b; ++k) {
        for (r = 0; r < EDGERNN_F32_ROW_BLOCK; ++r) {
            acc[r] = acc[r] + w_b[r] * v_b[k];
        }
        w_b += EDGERNN_F32_ROW_BLOCK;
    }
    for (r = 0; r < EDGERNN_F32_ROW_BLOCK; ++r) {
        out[r] = (bias != NULL) ? acc[r] + bias[r] : acc[r];
    }
}

#endif

void edgernn_matvec_pair_f32(const float *mat_a, const float *vec_a, int32_t cols_a,
                             const float *mat_b, const float *vec_b, int32_t cols_b,
                             const float *bias, int32_t rows, float *out)
{
    const int32_t blocked = rows - rows % EDGERNN_F32_ROW_BLOCK;
    const size_t stride_a = (size_t)EDGERNN_F32_ROW_BLOCK * (size_t)cols_a;
    const size_t stride_b = (size_t)EDGERNN_F32_ROW_BLOCK * (size_t)cols_b;
    int32_t r;
    int32_t k;
    if (cols_b <= 0) {
        mat_b = mat_a; /* never read: keeps the pointer arithmetic below defined */
        vec_b = vec_a;
        cols_b = 0;
    }
    for (r = 0; r < blocked; r += EDGERNN_F32_ROW_BLOCK) {
        const size_t block = (size_t)(r / EDGERNN_F32_ROW_BLOCK);
        block_f32(mat_a + block * stride_a, vec_a, cols_a, mat_b + block * stride_b, vec_b,
                  cols_b, (bias != NULL) ? bias + r : (const float *)NULL, out + r);
    }
    /* The rows % 8 rows after the last block are row-major: one plain dot product each. */
    for (r = blocked; r < rows; ++r) {
        const float *row_a = mat_a + (size_t)r * (size_t)cols_a;
        const float *row_b = mat_b + (size_t)r * (size_t)cols_b;
        float acc = 0.0f;
        for (k = 0; k < cols_a; ++k) {
            acc = acc + row_a[k] * vec_a[k];
        }
        for (k = 0; k < cols_b; ++k) {
            acc = acc + row_b[k] * vec_b[k];
        }
        out[r] = (bias != NULL) ? acc + bias[r] : acc;
    }
}
