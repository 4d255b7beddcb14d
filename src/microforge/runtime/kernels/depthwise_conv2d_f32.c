/* microforge runtime: DEPTHWISE_CONV_2D float32 (TFLite reference summation order). */
#include <stddef.h>
#include <string.h>
#include "mf_common.h"
#include "depthwise_conv2d_f32.h"

#define MF_DW_F32_CHUNK 16

/* acc[j] += input * filter[j] for the n channels from c0 of one tap: a contiguous run for
 * multiplier 1, else each input value times `mult` consecutive filter values (vectorisable;
 * every output still adds its taps in the reference order). */
static void mf_dw_f32_tap(float *restrict acc, const float *restrict in_px,
                          const float *restrict f, int32_t c0, int32_t n, int32_t mult) {
    int32_t j, ic, m, end;
    if (mult == 1) {
        const float *restrict in = in_px + c0;
        for (j = 0; j < n; ++j) {
            acc[j] += in[j] * f[j];
        }
        return;
    }
    ic = c0 / mult;
    m = c0 - ic * mult;
    for (j = 0; j < n; ++ic) {
        const float v = in_px[ic];
        end = n < j + mult - m ? n : j + mult - m;
        for (; j < end; ++j) {
            acc[j] += v * f[j];
        }
        m = 0;
    }
}

#if defined(__GNUC__) && (defined(__SSE__) || defined(__ARM_NEON)) \
    && !defined(MF_NO_VECTOR_EXTENSIONS)
#define MF_DW_F32_VECTOR 1
typedef float mf_dw_v4 __attribute__((vector_size(16)));

/* One input channel (out_c = depth_multiplier, a multiple of 8): the 8 outputs of a chunk
 * share each input value, one output per SIMD lane, taps added in the reference (fy, fx)
 * order as in the scalar path: bit-identical. */
static void mf_dw_f32_pixel_1ch(const mf_depthwise_conv2d_f32_params *p, const float *in_b,
                                const float *filter, const float *bias, int32_t y0, int32_t x0,
                                int32_t fy0, int32_t fy1, int32_t fx0, int32_t fx1,
                                float *output) {
    const int32_t out_c = p->depth_multiplier;
    int32_t c0, fy, fx, j;
    for (c0 = 0; c0 < out_c; c0 += 8) {
        mf_dw_v4 lo = {0.0f, 0.0f, 0.0f, 0.0f}, hi = lo, f_lo, f_hi;
        float acc[8];
        for (fy = fy0; fy < fy1; ++fy) {
            const float *in_row = in_b + (size_t)((y0 + fy * p->dilation_h) * p->in_w);
            for (fx = fx0; fx < fx1; ++fx) {
                const float v = in_row[x0 + fx * p->dilation_w];
                const mf_dw_v4 vv = {v, v, v, v};
                const float *f = filter + (size_t)((fy * p->filter_w + fx) * out_c + c0);
                memcpy(&f_lo, f, sizeof f_lo);
                memcpy(&f_hi, f + 4, sizeof f_hi);
                lo += vv * f_lo;
                hi += vv * f_hi;
            }
        }
        memcpy(acc, &lo, sizeof lo);
        memcpy(acc + 4, &hi, sizeof hi);
        for (j = 0; j < 8; ++j) {
            float value = acc[j] + (bias != NULL ? bias[c0 + j] : 0.0f);
            value = value < p->act_min ? p->act_min : value;
            output[c0 + j] = value > p->act_max ? p->act_max : value;
        }
    }
}
#endif

void mf_depthwise_conv2d_f32(const mf_depthwise_conv2d_f32_params *p, const float *input,
                             const float *filter, const float *bias, float *output) {
    const int32_t mult = p->depth_multiplier;
    const int32_t out_c = p->in_c * mult;
    int32_t b, oy, ox, fy, fx, c0, j;
    for (b = 0; b < p->batches; ++b) {
        const float *in_b = input + (size_t)b * (size_t)(p->in_h * p->in_w * p->in_c);
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            int32_t fy0, fy1;
            mf_filter_window(y0, p->filter_h, p->dilation_h, p->in_h, &fy0, &fy1);
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                int32_t fx0, fx1;
                mf_filter_window(x0, p->filter_w, p->dilation_w, p->in_w, &fx0, &fx1);
#ifdef MF_DW_F32_VECTOR
                if (p->in_c == 1 && out_c % 8 == 0) {
                    mf_dw_f32_pixel_1ch(p, in_b, filter, bias, y0, x0, fy0, fy1, fx0, fx1,
                                        output);
                    output += out_c;
                    continue;
                }
#endif
                /* chunks of output channels; each output sums its taps in reference order */
                for (c0 = 0; c0 < out_c; c0 += MF_DW_F32_CHUNK) {
                    const int32_t n = out_c - c0 < MF_DW_F32_CHUNK ? out_c - c0 : MF_DW_F32_CHUNK;
                    float acc[MF_DW_F32_CHUNK];
                    for (j = 0; j < n; ++j) {
                        acc[j] = 0.0f;
                    }
                    for (fy = fy0; fy < fy1; ++fy) {
                        const int32_t y = y0 + fy * p->dilation_h;
                        for (fx = fx0; fx < fx1; ++fx) {
                            const int32_t x = x0 + fx * p->dilation_w;
                            const float *in_px = in_b + (size_t)((y * p->in_w + x) * p->in_c);
                            const float *f = filter + (size_t)((fy * p->filter_w + fx) * out_c
                                                               + c0);
                            mf_dw_f32_tap(acc, in_px, f, c0, n, mult);
                        }
                    }
                    for (j = 0; j < n; ++j) {
                        float value = acc[j] + (bias != NULL ? bias[c0 + j] : 0.0f);
                        value = value < p->act_min ? p->act_min : value;
                        *output++ = value > p->act_max ? p->act_max : value;
                    }
                }
            }
        }
    }
}

void mf_depthwise_conv2d_f32_rows(const mf_depthwise_conv2d_f32_params *p, const float *input,
                                  int32_t first, int32_t oy, int32_t rows, const float *filter,
                                  const float *bias, float *output) {
    mf_depthwise_conv2d_f32_params view;
    MF_CONV_ROWS_VIEW(view, p, first, oy, rows);
    mf_depthwise_conv2d_f32(&view, input, filter, bias, output);
}
