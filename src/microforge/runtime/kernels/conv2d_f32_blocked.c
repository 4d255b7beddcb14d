/* microforge runtime: CONV_2D float32, filter blocked by output channel. */
#include <stddef.h>
#include <string.h>
#include "conv2d_f32_blocked.h"
#include "mf_common.h"

/* The taps of one output pixel for one block: acc[j] = sum in (fy, fx, i) order of
 * in[fy][fx][i] * w[fy][fx][i][j]; lane-wise IEEE operations, one output per lane. */
#if defined(__GNUC__) && (defined(__SSE__) || defined(__ARM_NEON)) \
    && !defined(MF_NO_VECTOR_EXTENSIONS)
typedef float mf_convb_v4 __attribute__((vector_size(16)));

static void mf_convb_f32_block(const mf_conv2d_f32_params *p, const float *in_b,
                               const float *w, int32_t y0, int32_t x0, int32_t fy0, int32_t fy1,
                               int32_t fx0, int32_t fx1, float *acc) {
    const int32_t c = p->in_c;
    mf_convb_v4 lo = {0.0f, 0.0f, 0.0f, 0.0f}, hi = lo, w_lo, w_hi;
    int32_t fy, fx, i;
    for (fy = fy0; fy < fy1; ++fy) {
        const float *in_row = in_b + (size_t)((y0 + fy * p->dilation_h) * p->in_w * c);
        for (fx = fx0; fx < fx1; ++fx) {
            const float *in_px = in_row + (size_t)((x0 + fx * p->dilation_w) * c);
            const float *wt = w + (size_t)((fy * p->filter_w + fx) * c) * MF_CONV_F32_BLOCK;
            for (i = 0; i < c; ++i, wt += MF_CONV_F32_BLOCK) {
                const float v = in_px[i];
                const mf_convb_v4 vv = {v, v, v, v};
                memcpy(&w_lo, wt, sizeof w_lo);
                memcpy(&w_hi, wt + 4, sizeof w_hi);
                lo += vv * w_lo;
                hi += vv * w_hi;
            }
        }
    }
    memcpy(acc, &lo, sizeof lo);
    memcpy(acc + 4, &hi, sizeof hi);
}
#else
static void mf_convb_f32_block(const mf_conv2d_f32_params *p, const float *in_b,
                               const float *w, int32_t y0, int32_t x0, int32_t fy0, int32_t fy1,
                               int32_t fx0, int32_t fx1, float *acc) {
    const int32_t c = p->in_c;
    float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f, a4 = 0.0f, a5 = 0.0f, a6 = 0.0f;
    float a7 = 0.0f;
    int32_t fy, fx, i;
    for (fy = fy0; fy < fy1; ++fy) {
        const float *in_row = in_b + (size_t)((y0 + fy * p->dilation_h) * p->in_w * c);
        for (fx = fx0; fx < fx1; ++fx) {
            const float *in_px = in_row + (size_t)((x0 + fx * p->dilation_w) * c);
            const float *wt = w + (size_t)((fy * p->filter_w + fx) * c) * MF_CONV_F32_BLOCK;
            for (i = 0; i < c; ++i, wt += MF_CONV_F32_BLOCK) {
                const float v = in_px[i];
                a0 += v * wt[0];
                a1 += v * wt[1];
                a2 += v * wt[2];
                a3 += v * wt[3];
                a4 += v * wt[4];
                a5 += v * wt[5];
                a6 += v * wt[6];
                a7 += v * wt[7];
            }
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    acc[4] = a4;
    acc[5] = a5;
    acc[6] = a6;
    acc[7] = a7;
}
#endif

/* One output row (all x, all channels) of one batch. */
static void mf_convb_f32_row(const mf_conv2d_f32_params *p, const float *in_b,
                             const float *blocked, const float *bias, int32_t oy, float *output) {
    const int32_t blocks = p->out_c / MF_CONV_F32_BLOCK;
    const int32_t f_size = p->filter_h * p->filter_w * p->in_c;
    const float *rest = blocked + (size_t)blocks * MF_CONV_F32_BLOCK * (size_t)f_size;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    int32_t ox, k, j, oc, fy, fx, i, fy0, fy1;
    mf_filter_window(y0, p->filter_h, p->dilation_h, p->in_h, &fy0, &fy1);
    for (ox = 0; ox < p->out_w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        mf_filter_window(x0, p->filter_w, p->dilation_w, p->in_w, &fx0, &fx1);
        for (k = 0; k < blocks; ++k) {
            float acc[MF_CONV_F32_BLOCK];
            mf_convb_f32_block(p, in_b, blocked + (size_t)k * MF_CONV_F32_BLOCK * (size_t)f_size,
                               y0, x0, fy0, fy1, fx0, fx1, acc);
            for (j = 0; j < MF_CONV_F32_BLOCK; ++j) {
                oc = k * MF_CONV_F32_BLOCK + j;
                *output++ = mf_bias_clamp_f32(acc[j], bias, oc, p->act_min, p->act_max);
            }
        }
        for (oc = blocks * MF_CONV_F32_BLOCK; oc < p->out_c; ++oc) {
            const float *f_oc = rest + (size_t)(oc - blocks * MF_CONV_F32_BLOCK) * (size_t)f_size;
            float total = 0.0f;
            for (fy = fy0; fy < fy1; ++fy) {
                const float *in_row = in_b + (size_t)((y0 + fy * p->dilation_h) * p->in_w
                                                      * p->in_c);
                for (fx = fx0; fx < fx1; ++fx) {
                    const float *in_px = in_row + (size_t)((x0 + fx * p->dilation_w) * p->in_c);
                    const float *w0 = f_oc + (size_t)((fy * p->filter_w + fx) * p->in_c);
                    for (i = 0; i < p->in_c; ++i) {
                        total += in_px[i] * w0[i];
                    }
                }
            }
            *output++ = mf_bias_clamp_f32(total, bias, oc, p->act_min, p->act_max);
        }
    }
}

typedef struct {
    const mf_conv2d_f32_params *p;
    const float *in_b;
    const float *blocked;
    const float *bias;
} mf_convb_row_source;

static void mf_convb_f32_row_at(const void *ctx, int32_t oy, void *dst) {
    const mf_convb_row_source *c = (const mf_convb_row_source *)ctx;
    mf_convb_f32_row(c->p, c->in_b, c->blocked, c->bias, oy, (float *)dst);
}

void mf_conv2d_f32_blocked(const mf_conv2d_f32_params *p, const float *input,
                           const float *blocked, const float *bias, float *output,
                           float *row_scratch) {
    const size_t row = (size_t)p->out_w * (size_t)p->out_c;
    const size_t in_batch = (size_t)(p->in_h * p->in_w * p->in_c);
    int32_t b;
    for (b = 0; b < p->batches; ++b) {
        mf_convb_row_source ctx;
        ctx.p = p;
        ctx.in_b = input + (size_t)b * in_batch;
        ctx.blocked = blocked;
        ctx.bias = bias;
        mf_rows_through_ring(mf_convb_f32_row_at, &ctx, p->out_h, p->pad_h,
                             row * sizeof(float), output + (size_t)b * (size_t)p->out_h * row,
                             row_scratch);
    }
}

void mf_conv2d_f32_blocked_rows(const mf_conv2d_f32_params *p, const float *input, int32_t first,
                                int32_t oy, int32_t rows, const float *filter_blocked,
                                const float *bias, float *output) {
    mf_conv2d_f32_params view;
    MF_CONV_ROWS_VIEW(view, p, first, oy, rows);
    mf_conv2d_f32_blocked(&view, input, filter_blocked, bias, output, NULL);
}
