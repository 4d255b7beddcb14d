/* microforge runtime: CONV_2D float32 (TFLite reference summation order). */
#include <stddef.h>
#include "conv2d_f32.h"
#include "mf_common.h"

/* One output row (all x, all channels) of one batch. */
static void mf_conv_f32_row(const mf_conv2d_f32_params *p, const float *in_b, const float *filter,
                            const float *bias, int32_t oy, float *output) {
    const int32_t per_group = p->out_c / (p->in_c / p->filter_in_c);
    const int32_t fic = p->filter_in_c;
    const int32_t f_row = p->filter_w * fic;
    const int32_t f_size = p->filter_h * f_row;
    int32_t ox, oc, fy, fx, k;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    int32_t fy0, fy1;
    mf_filter_window(y0, p->filter_h, p->dilation_h, p->in_h, &fy0, &fy1);
    for (ox = 0; ox < p->out_w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        mf_filter_window(x0, p->filter_w, p->dilation_w, p->in_w, &fx0, &fx1);
        for (oc = 0; oc < p->out_c; ++oc) {
            const int32_t ic0 = (oc / per_group) * fic;
            const float *f_oc = filter + (size_t)oc * (size_t)f_size;
            float t0 = 0.0f;
            /* 4 output channels per input load; each keeps the reference order */
            if (oc + 4 <= p->out_c && (oc + 3) / per_group == oc / per_group) {
                float t1 = 0.0f, t2 = 0.0f, t3 = 0.0f;
                for (fy = fy0; fy < fy1; ++fy) {
                    const float *in_row = in_b + (size_t)((y0 + fy * p->dilation_h)
                                                          * p->in_w * p->in_c + ic0);
                    for (fx = fx0; fx < fx1; ++fx) {
                        const float *in_px = in_row
                            + (size_t)((x0 + fx * p->dilation_w) * p->in_c);
                        const float *w0 = f_oc + (size_t)(fy * f_row + fx * fic);
                        const float *w1 = w0 + f_size;
                        const float *w2 = w1 + f_size;
                        const float *w3 = w2 + f_size;
                        for (k = 0; k < fic; ++k) {
                            const float v = in_px[k];
                            t0 += v * w0[k];
                            t1 += v * w1[k];
                            t2 += v * w2[k];
                            t3 += v * w3[k];
                        }
                    }
                }
                *output++ = mf_bias_clamp_f32(t0, bias, oc, p->act_min, p->act_max);
                *output++ = mf_bias_clamp_f32(t1, bias, oc + 1, p->act_min, p->act_max);
                *output++ = mf_bias_clamp_f32(t2, bias, oc + 2, p->act_min, p->act_max);
                *output++ = mf_bias_clamp_f32(t3, bias, oc + 3, p->act_min, p->act_max);
                oc += 3;
                continue;
            }
            for (fy = fy0; fy < fy1; ++fy) {
                const float *in_row = in_b + (size_t)((y0 + fy * p->dilation_h)
                                                      * p->in_w * p->in_c + ic0);
                for (fx = fx0; fx < fx1; ++fx) {
                    const float *in_px = in_row
                        + (size_t)((x0 + fx * p->dilation_w) * p->in_c);
                    const float *w0 = f_oc + (size_t)(fy * f_row + fx * fic);
                    for (k = 0; k < fic; ++k) {
                        t0 += in_px[k] * w0[k];
                    }
                }
            }
            *output++ = mf_bias_clamp_f32(t0, bias, oc, p->act_min, p->act_max);
        }
    }
}

typedef struct {
    const mf_conv2d_f32_params *p;
    const float *in_b;
    const float *filter;
    const float *bias;
} mf_conv2d_f32_rows;

static void mf_conv_f32_row_at(const void *ctx, int32_t oy, void *dst) {
    const mf_conv2d_f32_rows *c = (const mf_conv2d_f32_rows *)ctx;
    mf_conv_f32_row(c->p, c->in_b, c->filter, c->bias, oy, (float *)dst);
}

void mf_conv2d_f32(const mf_conv2d_f32_params *p, const float *input, const float *filter,
                   const float *bias, float *output, float *row_scratch) {
    const size_t row = (size_t)p->out_w * (size_t)p->out_c;
    const size_t in_batch = (size_t)(p->in_h * p->in_w * p->in_c);
    int32_t b;
    for (b = 0; b < p->batches; ++b) {
        mf_conv2d_f32_rows ctx;
        ctx.p = p;
        ctx.in_b = input + (size_t)b * in_batch;
        ctx.filter = filter;
        ctx.bias = bias;
        mf_rows_through_ring(mf_conv_f32_row_at, &ctx, p->out_h, p->pad_h, row * sizeof(float),
                             output + (size_t)b * (size_t)p->out_h * row, row_scratch);
    }
}

int32_t mf_conv2d_f32_scratch_bytes(const mf_conv2d_f32_params *p) {
    if (p->stride_h != 1 || p->stride_w != 1 || p->out_w * p->out_c > p->in_w * p->in_c) {
        return 0;
    }
    return (p->pad_h + 1) * p->out_w * p->out_c * (int32_t)sizeof(float);
}
