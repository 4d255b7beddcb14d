/* microforge runtime: DEPTHWISE_CONV_2D 16x8 (TFLite reference arithmetic, bit-exact). */
#include "depthwise_conv2d_s16.h"
#include "mf_requantize64.h"

typedef struct {
    const mf_depthwise_conv2d_s16_params *p;
    const int16_t *in_b;
    const int8_t *filter;
    const int64_t *bias;
} mf_depthwise_conv2d_s16_rows;

/* output row oy of one batch into dst; the filter window is clipped to the image once per
 * row (vertically) and per pixel (horizontally), as TFLite skips the taps outside */
static void mf_dw_s16_row(const void *context, int32_t oy, void *dst) {
    const mf_depthwise_conv2d_s16_rows *ctx = (const mf_depthwise_conv2d_s16_rows *)context;
    const mf_depthwise_conv2d_s16_params *p = ctx->p;
    const int32_t out_c = p->in_c * p->depth_multiplier;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    const size_t x_step = (size_t)p->dilation_w * (size_t)p->in_c;
    int16_t *out_row = (int16_t *)dst;
    int32_t fy_lo = 0, fy_hi = p->filter_h;
    int32_t ox, ic, m, fy, fx;
    while (fy_lo < fy_hi && y0 + p->dilation_h * fy_lo < 0) {
        ++fy_lo;
    }
    while (fy_hi > fy_lo && y0 + p->dilation_h * (fy_hi - 1) >= p->in_h) {
        --fy_hi;
    }
    for (ox = 0; ox < p->out_w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int16_t *out = out_row + (size_t)ox * (size_t)out_c;
        int32_t fx_lo = 0, fx_hi = p->filter_w;
        while (fx_lo < fx_hi && x0 + p->dilation_w * fx_lo < 0) {
            ++fx_lo;
        }
        while (fx_hi > fx_lo && x0 + p->dilation_w * (fx_hi - 1) >= p->in_w) {
            --fx_hi;
        }
        for (ic = 0; ic < p->in_c; ++ic) {
            for (m = 0; m < p->depth_multiplier; ++m) {
                const int32_t oc = ic * p->depth_multiplier + m;
                /* at most filter_h * filter_w products below 2^22 each: the int64 sum is
                 * exact */
                int64_t acc = ctx->bias != NULL ? ctx->bias[oc] : 0;
                int32_t v;
                for (fy = fy_lo; fy < fy_hi; ++fy) {
                    const int16_t *in = ctx->in_b +
                        ((size_t)(y0 + p->dilation_h * fy) * (size_t)p->in_w +
                         (size_t)(x0 + p->dilation_w * fx_lo)) * (size_t)p->in_c + (size_t)ic;
                    const int8_t *w = ctx->filter + ((size_t)fy * (size_t)p->filter_w +
                                                     (size_t)fx_lo) * (size_t)out_c +
                                      (size_t)oc;
                    for (fx = 0; fx < fx_hi - fx_lo; ++fx) {  /* no pointer past the data */
                        acc += (int32_t)w[(size_t)fx * (size_t)out_c] *
                               (int32_t)in[(size_t)fx * x_step];
                    }
                }
                v = mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[oc],
                                                            p->shift[oc]);
                out[oc] = (int16_t)MF_CLAMP(v, p->act_min, p->act_max);
            }
        }
    }
}

void mf_depthwise_conv2d_s16(const mf_depthwise_conv2d_s16_params *p, const int16_t *input,
                             const int8_t *filter, const int64_t *bias, int16_t *output,
                             int16_t *row_scratch) {
    const size_t row = (size_t)p->out_w * (size_t)p->in_c * (size_t)p->depth_multiplier;
    const size_t in_batch = (size_t)p->in_h * (size_t)p->in_w * (size_t)p->in_c;
    int32_t b;
    for (b = 0; b < p->batches; ++b) {
        mf_depthwise_conv2d_s16_rows ctx;
        ctx.p = p;
        ctx.in_b = input + (size_t)b * in_batch;
        ctx.filter = filter;
        ctx.bias = bias;
        mf_rows_through_ring(mf_dw_s16_row, &ctx, p->out_h, p->pad_h, row * sizeof(int16_t),
                             output + (size_t)b * (size_t)p->out_h * row, row_scratch);
    }
}

int32_t mf_depthwise_conv2d_s16_scratch_bytes(const mf_depthwise_conv2d_s16_params *p) {
    const int in_place = p->depth_multiplier == 1 && p->stride_h == 1 && p->stride_w == 1
                         && p->out_w == p->in_w && p->out_h <= p->in_h;
    return in_place ? (p->pad_h + 1) * p->out_w * p->in_c * (int32_t)sizeof(int16_t) : 0;
}
