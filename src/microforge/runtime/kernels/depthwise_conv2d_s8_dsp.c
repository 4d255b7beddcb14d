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

/* Channel j's int8 output (its constants read from the parameters, no table). */
static inline __attribute__((always_inline)) int8_t mf_dw_dsp_out(const mf_depthwise_conv2d_s8_params *p, int32_t acc,
                                   int32_t j, const mf_dsp_out *o, int full_range) {
    const mf_dsp_channel ch = mf_dsp_channel_of(p->multiplier[j], p->shift[j]);
    if (full_range && ch.shift < 0) { /* the common case: one SSAT clamps */
        return (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc, &ch), o->offset), 8);
    }
    return mf_dsp_output(acc, &ch, o);
}

/* A 3x3 filter, every output pixel (border included) as nine taps: each tap points at its input
 * pixel, or at a row of input zero points where it falls in the padding ((zp + offset) * w = 0).
 * The filter is re-laid-out at compile time (ops/depthwise_conv2d.py:dsp_filter_3x3): per group
 * of four channels its nine tap words side by side, read at fixed offsets. */
static void mf_dw_dsp_pixel3x3(const mf_depthwise_conv2d_s8_params *p, const int8_t *const *tap,
                               const int8_t *filter, const int32_t *bias, const mf_dsp_out *o,
                               int full_range, int8_t *out) {
    const int32_t in_c = p->in_c;
    const int16x2_t io2 = mf_dsp_pair(p->input_offset, p->input_offset);
    const int8_t *f = filter;
    int32_t c;
    for (c = 0; c < in_c; c += 4, f += 36) {
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        if (bias != NULL) {
            a0 = bias[c];
            a1 = bias[c + 1];
            a2 = bias[c + 2];
            a3 = bias[c + 3];
        }
        MF_DW_DSP_TAP(tap[0] + c, f);
        MF_DW_DSP_TAP(tap[1] + c, f + 4);
        MF_DW_DSP_TAP(tap[2] + c, f + 8);
        MF_DW_DSP_TAP(tap[3] + c, f + 12);
        MF_DW_DSP_TAP(tap[4] + c, f + 16);
        MF_DW_DSP_TAP(tap[5] + c, f + 20);
        MF_DW_DSP_TAP(tap[6] + c, f + 24);
        MF_DW_DSP_TAP(tap[7] + c, f + 28);
        MF_DW_DSP_TAP(tap[8] + c, f + 32);
        out[c] = mf_dw_dsp_out(p, a0, c, o, full_range);
        out[c + 1] = mf_dw_dsp_out(p, a1, c + 1, o, full_range);
        out[c + 2] = mf_dw_dsp_out(p, a2, c + 2, o, full_range);
        out[c + 3] = mf_dw_dsp_out(p, a3, c + 3, o, full_range);
    }
}

static void mf_dw_dsp_row(const void *ctx, int32_t oy, void *dst) {
    const mf_dw_dsp_rows *r = (const mf_dw_dsp_rows *)ctx;
    const mf_depthwise_conv2d_s8_params *p = r->p;
    const int32_t in_c = p->in_c;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    int8_t *out_row = (int8_t *)dst;
    int8_t zero_points[MF_DW_DSP_ZP_MAX];
    mf_dsp_out o;
    int full_range;
    int32_t ox, k;
    o.offset = p->output_offset;
    o.act_min = p->act_min;
    o.act_max = p->act_max;
    full_range = p->act_min == -128 && p->act_max == 127;
    memset(zero_points, -p->input_offset, (size_t)in_c);
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
        mf_dw_dsp_pixel3x3(p, tap, r->filter, r->bias, &o, full_range,
                           out_row + (size_t)ox * (size_t)in_c);
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
        mf_rows_through_ring(mf_dw_dsp_row, &ctx, p->out_h, p->pad_h, row,
                             output + (size_t)b * (size_t)p->out_h * row, row_scratch);
    }
}
#else
/* Built only for cores with the DSP extension (codegen/variants.py selects it there). */
typedef int mf_depthwise_conv2d_s8_dsp_unavailable;
#endif
