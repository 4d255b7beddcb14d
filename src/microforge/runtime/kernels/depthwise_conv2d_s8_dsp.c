/* microforge runtime: DEPTHWISE_CONV_2D int8 (multiplier 1) on the DSP extension. Channels in
 * groups of four, a group's requantization constants read once per output row: per output pixel
 * the four accumulators start at the bias and take every valid tap (one word of inputs, SXTAB16
 * adding the input offset to bytes 0/2 and, rotated, 1/3; one word of filters, SXTB16; SMLABB /
 * SMLATT per channel), the full 3x3 window of the interior unrolled, then are requantized and
 * stored. */
#include "depthwise_conv2d_s8_dsp.h"
#include "mf_dsp.h"

#if MF_DSP_AVAILABLE

#define MF_DW_DSP_TAP(in_ptr, f_ptr)                                                          \
    do {                                                                                      \
        const uint32_t x_ = mf_load_u32(in_ptr), f_ = mf_load_u32(f_ptr);                     \
        const int16x2_t xe_ = __sxtab16(io2, (int8x4_t)x_), xo_ = mf_sxtab16_odd(io2, x_);    \
        const int16x2_t fe_ = __sxtb16((int8x4_t)f_), fo_ = mf_sxtb16_odd(f_);                \
        a0 = __smlabb(xe_, fe_, a0);                                                          \
        a2 = __smlatt(xe_, fe_, a2);                                                          \
        a1 = __smlabb(xo_, fo_, a1);                                                          \
        a3 = __smlatt(xo_, fo_, a3);                                                          \
    } while (0)

typedef struct {
    const mf_depthwise_conv2d_s8_params *p;
    const int8_t *in_b;
    const int8_t *filter;
    const int32_t *bias;
} mf_dw_dsp_rows;

/* The int8 output of channel (m, sh < 0), the full int8 range: one SSAT clamps. */
static inline __attribute__((always_inline)) int8_t mf_dw_dsp_fast(int32_t acc, int32_t m,
                                                                   int32_t sh, int32_t offset) {
    const mf_dsp_channel ch = mf_dsp_channel_of(m, sh);
    return (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc, &ch), offset), 8);
}

/* Any shift or clamp range: four outputs out of line (the rare case). */
static __attribute__((noinline)) void mf_dw_dsp_slow(int32_t a0, int32_t a1, int32_t a2,
                                                     int32_t a3, const int32_t *mul,
                                                     const int8_t *shift, const mf_dsp_out *o,
                                                     int8_t *out) {
    const int32_t acc[4] = {a0, a1, a2, a3};
    int32_t j;
    for (j = 0; j < 4; ++j) {
        const mf_dsp_channel ch = mf_dsp_channel_of(mul[j], shift[j]);
        out[j] = mf_dsp_output(acc[j], &ch, o);
    }
}

/* Tap k of four channels: its input pointer read from the tap table, the word at channel c,
 * SXTAB16 adding the input offset (even bytes, then odd ones in place), the filter word at
 * f + 4k split by SXTB16, SMLABB / SMLATT per channel: 11 instructions per 4 MACs. One asm
 * block for the nine taps keeps GCC from spilling the accumulators (12 registers in all); the
 * input words it reads are const for the whole call, the tap table and filter are operands. */
#define MF_DW_DSP_TAP_ASM(k)                                                                  \
    "ldr %[x], [%[tap], #" #k "*4]\n\t"                                                     \
    "ldr %[x], [%[x], %[c]]\n\t"                                                            \
    "ldr %[w], [%[f], #" #k "*4]\n\t"                                                       \
    "sxtab16 %[xe], %[io2], %[x]\n\t"                                                       \
    "sxtab16 %[x], %[io2], %[x], ror #8\n\t"                                                \
    "sxtb16 %[we], %[w]\n\t"                                                                \
    "sxtb16 %[w], %[w], ror #8\n\t"                                                         \
    "smlabb %[a0], %[xe], %[we], %[a0]\n\t"                                                 \
    "smlatt %[a2], %[xe], %[we], %[a2]\n\t"                                                 \
    "smlabb %[a1], %[x], %[w], %[a1]\n\t"                                                   \
    "smlatt %[a3], %[x], %[w], %[a3]\n\t"

static inline __attribute__((always_inline)) void mf_dw_dsp_pixel3x3(
    const mf_depthwise_conv2d_s8_params *p, const int8_t *const *tap, const int8_t *filter,
    const int32_t *bias, const mf_dsp_out *o, const int fast, int8_t *out) {
    const int32_t in_c = p->in_c;
    const int16x2_t io2 = mf_dsp_pair(p->input_offset, p->input_offset);
    const int32_t *const mul = p->multiplier;
    const int8_t *const shift = p->shift;
    const mf_dsp_out oc = *o;
    const int8_t *f = filter;
    int32_t c;
    for (c = 0; c < in_c; c += 4, f += 36) {
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        uint32_t x, xe, w, we;
        if (bias != NULL) {
            a0 = bias[c];
            a1 = bias[c + 1];
            a2 = bias[c + 2];
            a3 = bias[c + 3];
        }
        __asm__(MF_DW_DSP_TAP_ASM(0) MF_DW_DSP_TAP_ASM(1) MF_DW_DSP_TAP_ASM(2)
                MF_DW_DSP_TAP_ASM(3) MF_DW_DSP_TAP_ASM(4) MF_DW_DSP_TAP_ASM(5)
                MF_DW_DSP_TAP_ASM(6) MF_DW_DSP_TAP_ASM(7) MF_DW_DSP_TAP_ASM(8)
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "=&r"(x),
                  [xe] "=&r"(xe), [w] "=&r"(w), [we] "=&r"(we)
                : [tap] "r"(tap), [c] "r"(c), [f] "r"(f), [io2] "r"(io2),
                  "m"(*(const int8_t *const(*)[9])tap), "m"(*(const int8_t(*)[36])f));
        if (fast) { /* every channel shifts right, the full int8 range: inline, one SSAT */
            out[c] = mf_dw_dsp_fast(a0, mul[c], shift[c], oc.offset);
            out[c + 1] = mf_dw_dsp_fast(a1, mul[c + 1], shift[c + 1], oc.offset);
            out[c + 2] = mf_dw_dsp_fast(a2, mul[c + 2], shift[c + 2], oc.offset);
            out[c + 3] = mf_dw_dsp_fast(a3, mul[c + 3], shift[c + 3], oc.offset);
        } else {
            mf_dw_dsp_slow(a0, a1, a2, a3, mul + c, shift + c, &oc, out + c);
        }
    }
}

/* The pixel loop compiled twice: with every output on the inline fast path (no call inside,
 * so nothing is spilled around the taps' asm), and with the rare paths out of line. */
static void mf_dw_dsp_pixel_fast(const mf_depthwise_conv2d_s8_params *p,
                                 const int8_t *const *tap, const int8_t *filter,
                                 const int32_t *bias, const mf_dsp_out *o, int8_t *out) {
    mf_dw_dsp_pixel3x3(p, tap, filter, bias, o, 1, out);
}

static void mf_dw_dsp_pixel_any(const mf_depthwise_conv2d_s8_params *p,
                                const int8_t *const *tap, const int8_t *filter,
                                const int32_t *bias, const mf_dsp_out *o, int8_t *out) {
    mf_dw_dsp_pixel3x3(p, tap, filter, bias, o, 0, out);
}

static void mf_dw_dsp_row(const void *ctx, int32_t oy, void *dst) {
    const mf_dw_dsp_rows *r = (const mf_dw_dsp_rows *)ctx;
    const mf_depthwise_conv2d_s8_params *p = r->p;
    const int32_t in_c = p->in_c;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    int8_t *out_row = (int8_t *)dst;
    int8_t zero_points[MF_DW_DSP_ZP_MAX];
    mf_dsp_out o;
    int fast;
    int32_t ox, k;
    o.offset = p->output_offset;
    o.act_min = p->act_min;
    o.act_max = p->act_max;
    fast = p->act_min == -128 && p->act_max == 127;
    for (k = 0; k < in_c; ++k) {
        fast = fast && p->shift[k] < 0;
    }
    memset(zero_points, -p->input_offset, (size_t)in_c);
    /* the taps' asm reads these bytes through pointers the compiler does not follow: keep the
     * memset (an empty asm that may read any memory) */
    __asm__ volatile("" : : "r"(zero_points) : "memory");
    for (ox = 0; ox < p->out_w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        const int8_t *tap[9];
        for (k = 0; k < 9; ++k) {
            const int32_t y = y0 + (k / 3) * p->dilation_h;
            const int32_t x = x0 + (k % 3) * p->dilation_w;
            tap[k] = y >= 0 && y < p->in_h && x >= 0 && x < p->in_w
                ? r->in_b + ((size_t)y * (size_t)p->in_w + (size_t)x) * (size_t)in_c
                : zero_points;
        }
        if (fast) {
            mf_dw_dsp_pixel_fast(p, tap, r->filter, r->bias, &o, out_row + (size_t)ox * in_c);
        } else {
            mf_dw_dsp_pixel_any(p, tap, r->filter, r->bias, &o, out_row + (size_t)ox * in_c);
        }
    }
}

void mf_depthwise_conv2d_s8_dsp(const mf_depthwise_conv2d_s8_params *p, const int8_t *input,
                                const int8_t *filter, const int32_t *bias, int8_t *output,
                                int8_t *row_scratch) {
    const size_t row = (size_t)p->out_w * (size_t)p->in_c;
    const size_t in_batch = (size_t)(p->in_h * p->in_w * p->in_c);
    int32_t b;
    for (b = 0; b < p->batches; ++b) {
        mf_dw_dsp_rows ctx;
        ctx.p = p;
        ctx.in_b = input + (size_t)b * in_batch;
        ctx.filter = filter;
        ctx.bias = bias;
        /* as the portable kernel: strided in place, each row is copied at once (its one-row
         * scratch; ops/depthwise_conv2d.py checks that no later row reads those bytes) */
        mf_rows_through_ring(mf_dw_dsp_row, &ctx, p->out_h, p->stride_h > 1 ? 0 : p->pad_h, row,
                             output + (size_t)b * (size_t)p->out_h * row, row_scratch);
    }
}
#else
/* Built only for cores with the DSP extension (codegen/variants.py selects it there). */
typedef int mf_depthwise_conv2d_s8_dsp_unavailable;
#endif
