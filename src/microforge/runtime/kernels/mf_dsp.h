/* microforge runtime: building blocks of the DSP-extension kernel variants (<kernel>_dsp.c,
 * chosen by codegen/variants.py for cores with the Armv7E-M / Armv8-M DSP extension):
 * widened int16 patches of six output pixels side by side, the dot product of one filter
 * with the six patches (LDRD + SMLAD), and TFLite's requantization with the channel's
 * constants loaded once per pass. Every integer sum equals the portable kernels' (only the
 * order of the additions differs), so the results are bit-exact with TFLM. */
#ifndef MF_DSP_H
#define MF_DSP_H

#include "mf_requantize.h"
#include "mf_simd32.h"

#if MF_DSP_AVAILABLE

#define MF_DSP_PIXELS 6 /* output pixels per pass of the convolution variants */

/* int16 words of the widened patches of MF_DSP_PIXELS pixels of `len` values each: per group of
 * four values, per pixel, the even and the odd bytes as int16 pairs (SXTB16 and SXTB16 ROR 8
 * order, the order in which a filter word splits). */
#define MF_DSP_PATCH_WORDS(len) (2 * MF_DSP_PIXELS * (((len) + 3) / 4))

/* `groups` groups of four values from `src` (words) widened with the input offset pair io2 as
 * pixel k of the patch `cols` (its group g at cols + 2 * (MF_DSP_PIXELS * g + k)). */
static inline void mf_dsp_widen(int16x2_t *cols, int32_t k, const int8_t *src, int32_t groups,
                                int16x2_t io2) {
    int16x2_t *dst = cols + 2 * k;
    const int8_t *const end = src + 4 * groups;
    while (src < end) {
        const uint32_t v = mf_load_u32(src);
        dst[0] = __sxtab16(io2, (int8x4_t)v);
        dst[1] = mf_sxtab16_odd(io2, v);
        dst += 2 * MF_DSP_PIXELS;
        src += 4;
    }
}

/* Pixel k of the patch `cols` set to zeros (a missing pixel of a last pass: its outputs are not
 * stored). */
static inline void mf_dsp_zero(int16x2_t *cols, int32_t k, int32_t groups) {
    int16x2_t *dst = cols + 2 * k;
    int32_t g;
    for (g = 0; g < groups; ++g, dst += 2 * MF_DSP_PIXELS) {
        dst[0] = (int16x2_t)0;
        dst[1] = (int16x2_t)0;
    }
}

/* The pair of int16 values (lo, hi). */
static inline int16x2_t mf_dsp_pair(int32_t lo, int32_t hi) {
    return (int16x2_t)(((uint32_t)(uint16_t)lo) | ((uint32_t)(uint16_t)hi << 16));
}

/* The two int16 pairs (even, odd) of one group of pixel k at `cols`, in one LDRD (GCC splits a
 * 64-bit memcpy into two loads); the "m" operand tells the compiler which bytes are read. */
#define MF_DSP_LDRD(cols, k, even, odd)                                                        \
    __asm__("ldrd %0, %1, [%2, #" #k "*8]"                                                    \
            : "=r"(even), "=r"(odd)                                                           \
            : "r"(cols), "m"(*(const uint64_t *)(const void *)((cols) + 2 * (k))))

/* One group of four values in asm: the filter word (post-
 * incremented), its two SXTB16, per pixel one LDRD and two SMLAD; the patch pointer advanced. */
#define MF_DSP_ASM_GROUP                                                                      \
    "ldr %[v], [%[w]], #4\n\t"                                                              \
    "sxtb16 %[we], %[v]\n\t"                                                                \
    "sxtb16 %[v], %[v], ror #8\n\t"                                                         \
    "ldrd %[xe], %[xo], [%[cols]]\n\t"                                                      \
    "smlad %[a0], %[xe], %[we], %[a0]\n\t"                                                  \
    "smlad %[a0], %[xo], %[v], %[a0]\n\t"                                                   \
    "ldrd %[xe], %[xo], [%[cols], #8]\n\t"                                                  \
    "smlad %[a1], %[xe], %[we], %[a1]\n\t"                                                  \
    "smlad %[a1], %[xo], %[v], %[a1]\n\t"                                                   \
    "ldrd %[xe], %[xo], [%[cols], #16]\n\t"                                                 \
    "smlad %[a2], %[xe], %[we], %[a2]\n\t"                                                  \
    "smlad %[a2], %[xo], %[v], %[a2]\n\t"                                                   \
    "ldrd %[xe], %[xo], [%[cols], #24]\n\t"                                                 \
    "smlad %[a3], %[xe], %[we], %[a3]\n\t"                                                  \
    "smlad %[a3], %[xo], %[v], %[a3]\n\t"                                                   \
    "ldrd %[xe], %[xo], [%[cols], #32]\n\t"                                                 \
    "smlad %[a4], %[xe], %[we], %[a4]\n\t"                                                  \
    "smlad %[a4], %[xo], %[v], %[a4]\n\t"                                                   \
    "ldrd %[xe], %[xo], [%[cols], #40]\n\t"                                                 \
    "smlad %[a5], %[xe], %[we], %[a5]\n\t"                                                  \
    "smlad %[a5], %[xo], %[v], %[a5]\n\t"                                                   \
    "add %[cols], %[cols], #48\n\t"

/* acc[k] += the dot product of the filter row w (groups * 4 int8 values) with patch k, for the
 * MF_DSP_PIXELS patches of `cols`: per four values one filter word (two SXTB16) and per pixel
 * one LDRD and two SMLAD (21 instructions per 24 MACs; 13 registers). */
static inline void mf_dsp_dot(const int16x2_t *cols, const int8_t *w, int32_t groups,
                              int32_t *acc) {
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5];
    const int16x2_t *end = cols + 2 * MF_DSP_PIXELS * groups;
#define MF_DSP_GROUP()                                                                        \
    do {                                                                                      \
        const uint32_t v = mf_load_u32(w);                                                    \
        const int16x2_t we = __sxtb16((int8x4_t)v), wo = mf_sxtb16_odd(v);                    \
        int16x2_t xe, xo;                                                                     \
        MF_DSP_LDRD(cols, 0, xe, xo);                                                         \
        a0 = __smlad(xo, wo, __smlad(xe, we, a0));                                            \
        MF_DSP_LDRD(cols, 1, xe, xo);                                                         \
        a1 = __smlad(xo, wo, __smlad(xe, we, a1));                                            \
        MF_DSP_LDRD(cols, 2, xe, xo);                                                         \
        a2 = __smlad(xo, wo, __smlad(xe, we, a2));                                            \
        MF_DSP_LDRD(cols, 3, xe, xo);                                                         \
        a3 = __smlad(xo, wo, __smlad(xe, we, a3));                                            \
        MF_DSP_LDRD(cols, 4, xe, xo);                                                         \
        a4 = __smlad(xo, wo, __smlad(xe, we, a4));                                            \
        MF_DSP_LDRD(cols, 5, xe, xo);                                                         \
        a5 = __smlad(xo, wo, __smlad(xe, we, a5));                                            \
        cols += 2 * MF_DSP_PIXELS;                                                            \
        w += 4;                                                                               \
    } while (0)
    if (groups & 1) {
        MF_DSP_GROUP();
    }
#undef MF_DSP_GROUP
    if (cols < end) { /* two groups per iteration, in asm: nothing spilled */
        uint32_t w0, we, xe, xo;
        __asm__("1:\n\t" MF_DSP_ASM_GROUP MF_DSP_ASM_GROUP
                "ldr %[v], %[end]\n\t" /* the end from memory: 12 registers, not 13 */
                "cmp %[cols], %[v]\n\t"
                "blo 1b\n\t"
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [a4] "+r"(a4),
                  [a5] "+r"(a5), [cols] "+r"(cols), [w] "+r"(w), [v] "=&r"(w0),
                  [we] "=&r"(we), [xe] "=&r"(xe), [xo] "=&r"(xo)
                : [end] "m"(end)
                : "cc", "memory");
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    acc[4] = a4;
    acc[5] = a5;
}

/* One output channel's requantization: multiplier, shift, and for a right shift e = -shift >= 1
 * the constants of the folded rounding (mf_dsp_requantize). */
typedef struct {
    int32_t multiplier;
    int32_t half; /* 2^(e - 1) */
    int32_t em1;  /* e - 1 */
    int32_t shift;
} mf_dsp_channel;

static inline mf_dsp_channel mf_dsp_channel_of(int32_t multiplier, int32_t shift) {
    mf_dsp_channel c;
    c.multiplier = multiplier;
    c.shift = shift;
    c.em1 = shift < 0 ? -shift - 1 : 0;
    c.half = (int32_t)(1u << c.em1);
    return c;
}

/* mf_requantize(x, multiplier, shift) for every x (multiplier in [0, 2^31), as the compiler
 * emits): with R = x * multiplier + 2^30 and a right shift e >= 1, TFLite's two roundings are
 * floor((R + (2^(e-1) - [R < 0]) * 2^31) / 2^(31 + e)) (mf_requantize.h); t = 2^(e-1) - [R < 0]
 * >= 0 is added to the 64-bit R as t << 31 (ADDS of t LSL 31, ADC of t ASR 1), and the result is
 * the high word shifted by e - 1: seven instructions (one asm block, so that the compiler adds
 * no register moves), no 32-bit overflow. A shift
 * >= 0 (a left shift, rare) takes the portable form. */
static inline int32_t mf_dsp_requantize_right(int32_t x, const mf_dsp_channel *c) {
    uint32_t lo;
    int32_t hi, t;
    __asm__("mov %[lo], #0x40000000\n\t"
            "mov %[hi], #0\n\t"
            "smlal %[lo], %[hi], %[x], %[m]\n\t"
            "add %[t], %[half], %[hi], asr #31\n\t"
            "adds %[lo], %[lo], %[t], lsl #31\n\t"
            "adc %[hi], %[hi], %[t], asr #1\n\t"
            "asr %[hi], %[hi], %[em1]"
            : [lo] "=&r"(lo), [hi] "=&r"(hi), [t] "=&r"(t)
            : [x] "r"(x), [m] "r"(c->multiplier), [half] "r"(c->half), [em1] "r"(c->em1)
            : "cc");
    return hi;
}

/* Any shift (a left shift takes the portable form); out of line, in mf_dsp.c. */
int32_t mf_dsp_requantize(int32_t x, const mf_dsp_channel *c);

/* Output offset and clamp range of a kernel's int8 outputs. */
typedef struct {
    int32_t offset, act_min, act_max;
} mf_dsp_out;

static inline int8_t mf_dsp_clamp(int32_t v, const mf_dsp_out *o) {
    v = v < o->act_min ? o->act_min : v;
    v = v > o->act_max ? o->act_max : v;
    return (int8_t)v;
}

/* The int8 output of an accumulator: requantized, output offset added, clamped (any shift;
 * out of line, in mf_dsp.c: the rare paths share one copy). */
int8_t mf_dsp_output(int32_t acc, const mf_dsp_channel *c, const mf_dsp_out *o);

/* mf_dsp_output for a channel known to shift right (shift < 0). */
static inline int8_t mf_dsp_output_right(int32_t acc, const mf_dsp_channel *c,
                                         const mf_dsp_out *o) {
    return mf_dsp_clamp(mf_add_wrap(mf_dsp_requantize_right(acc, c), o->offset), o);
}

/* The outputs of channel c for the first n of the MF_DSP_PIXELS pixels, `stride` bytes apart
 * (any case; out of line, in mf_dsp.c). */
void mf_dsp_store_any(const int32_t *acc, const mf_dsp_channel *c, const mf_dsp_out *o,
                      int8_t *out, size_t stride, int32_t n);

/* mf_dsp_store_any with the common case inline: all pixels, a right shift, the full int8 range
 * (one SSAT clamps), unrolled in registers. */
static inline void mf_dsp_store(const int32_t *acc, const mf_dsp_channel *c,
                                const mf_dsp_out *o, int8_t *out, size_t stride, int32_t n) {
    if (n == MF_DSP_PIXELS && c->shift < 0 && o->act_min == -128 && o->act_max == 127) {
        out[0] = (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc[0], c), o->offset), 8);
        out[stride] = (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc[1], c), o->offset),
                                     8);
        out[2 * stride] = (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc[2], c),
                                                     o->offset), 8);
        out[3 * stride] = (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc[3], c),
                                                     o->offset), 8);
        out[4 * stride] = (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc[4], c),
                                                     o->offset), 8);
        out[5 * stride] = (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc[5], c),
                                                     o->offset), 8);
        return;
    }
    mf_dsp_store_any(acc, c, o, out, stride, n);
}

/* All MF_DSP_PIXELS accumulators set to v. */
static inline void mf_dsp_fill(int32_t *acc, int32_t v) {
    acc[0] = v;
    acc[1] = v;
    acc[2] = v;
    acc[3] = v;
    acc[4] = v;
    acc[5] = v;
}

#endif /* MF_DSP_AVAILABLE */

#endif /* MF_DSP_H */
