/* microforge runtime: CONV_2D 16x8 (TFLite reference arithmetic, bit-exact). */
#include <string.h>

#include "conv2d_s16.h"
#include "mf_requantize64.h"

/* products are below 2^22 in magnitude: 128 of them fit an int32 partial sum */
#define MF_CONV_S16_CHUNK 128

static int16_t mf_conv_s16_out(const mf_conv2d_s16_params *p, int64_t acc, int32_t oc) {
    const int32_t v = p->acc32
        ? mf_multiply_by_quantized_multiplier((int32_t)acc, p->multiplier[oc], p->shift[oc])
        : mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[oc], p->shift[oc]);
    return (int16_t)MF_CLAMP(v, p->act_min, p->act_max);
}

/* 1x1, stride 1, no padding, no groups: output pixel q is the dot products of input pixel q
 * with each filter; two output channels per pass over the pixel (the same integer sums). */
static void mf_conv2d_s16_pointwise(const mf_conv2d_s16_params *p, const int16_t *input,
                                    const int8_t *filter, const int64_t *bias,
                                    int16_t *output, int16_t *pixel_scratch) {
    const int32_t n = p->in_c;
    const size_t pixels = (size_t)p->batches * (size_t)p->out_h * (size_t)p->out_w;
    size_t q;
    for (q = 0; q < pixels; ++q) {
        const int16_t *in = input + q * (size_t)n;
        int16_t *dst = output + q * (size_t)p->out_c;
        int16_t *out = pixel_scratch != NULL ? pixel_scratch : dst;
        int32_t oc = 0, d, end;
        for (; oc + 2 <= p->out_c; oc += 2) {
            /* two output channels per pass: few enough registers that nothing spills */
            const int8_t *w0 = filter + (size_t)oc * (size_t)n;
            const int8_t *w1 = w0 + n;
            int64_t a0 = 0, a1 = 0;
            for (d = 0; d < n; d = end) {
                int32_t s0 = 0, s1 = 0;
                end = n - d > MF_CONV_S16_CHUNK ? d + MF_CONV_S16_CHUNK : n;
                for (; d < end; ++d) {
                    const int32_t x = in[d];
                    s0 += x * w0[d];
                    s1 += x * w1[d];
                }
                a0 += s0;
                a1 += s1;
            }
            if (bias != NULL) {
                a0 += bias[oc];
                a1 += bias[oc + 1];
            }
            out[oc] = mf_conv_s16_out(p, a0, oc);
            out[oc + 1] = mf_conv_s16_out(p, a1, oc + 1);
        }
        for (; oc < p->out_c; ++oc) {
            const int8_t *w = filter + (size_t)oc * (size_t)n;
            int64_t acc = bias != NULL ? bias[oc] : 0;
            for (d = 0; d < n; d = end) {
                int32_t part = 0;
                end = n - d > MF_CONV_S16_CHUNK ? d + MF_CONV_S16_CHUNK : n;
                for (; d < end; ++d) {
                    part += (int32_t)in[d] * w[d];
                }
                acc += part;
            }
            out[oc] = mf_conv_s16_out(p, acc, oc);
        }
        if (pixel_scratch != NULL) {
            memcpy(dst, pixel_scratch, (size_t)p->out_c * sizeof(int16_t));
        }
    }
}

void mf_conv2d_s16(const mf_conv2d_s16_params *p, const int16_t *input, const int8_t *filter,
                   const int64_t *bias, int16_t *output, int16_t *pixel_scratch) {
    const int32_t groups = p->in_c / p->filter_in_c;
    const int32_t per_group = p->out_c / groups;
    int32_t b, oy, ox, oc, fy, fx, ic;
    if (p->filter_h == 1 && p->filter_w == 1 && p->stride_h == 1 && p->stride_w == 1 &&
        p->pad_h == 0 && p->pad_w == 0 && groups == 1 && p->out_h == p->in_h &&
        p->out_w == p->in_w) {
        mf_conv2d_s16_pointwise(p, input, filter, bias, output, pixel_scratch);
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in_b = input + (size_t)b * (size_t)p->in_h * (size_t)p->in_w *
                              (size_t)p->in_c;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            /* the filter rows inside the image: fy_lo <= fy < fy_hi */
            int32_t fy_lo = 0, fy_hi = p->filter_h;
            while (fy_lo < fy_hi && y0 + p->dilation_h * fy_lo < 0) {
                ++fy_lo;
            }
            while (fy_hi > fy_lo && y0 + p->dilation_h * (fy_hi - 1) >= p->in_h) {
                --fy_hi;
            }
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                int16_t *dst = output + (((size_t)b * (size_t)p->out_h + (size_t)oy) *
                                         (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
                int16_t *out = pixel_scratch != NULL ? pixel_scratch : dst;
                int32_t fx_lo = 0, fx_hi = p->filter_w;
                while (fx_lo < fx_hi && x0 + p->dilation_w * fx_lo < 0) {
                    ++fx_lo;
                }
                while (fx_hi > fx_lo && x0 + p->dilation_w * (fx_hi - 1) >= p->in_w) {
                    --fx_hi;
                }
                for (oc = 0; oc < p->out_c; ++oc) {
                    const int32_t c0 = (oc / per_group) * p->filter_in_c;
                    const int8_t *w_oc = filter + (size_t)oc * (size_t)p->filter_h *
                                         (size_t)p->filter_w * (size_t)p->filter_in_c;
                    int64_t acc = bias != NULL ? bias[oc] : 0;
                    /* a filter row's products (filter_w x filter_in_c, each below 2^22)
                     * summed in int32 while they fit, else one tap at a time */
                    const int32_t row_fits = (fx_hi - fx_lo) * p->filter_in_c <= MF_CONV_S16_CHUNK;
                    for (fy = fy_lo; fy < fy_hi; ++fy) {
                        const int16_t *in_row = in_b + (size_t)(y0 + p->dilation_h * fy) *
                                                (size_t)p->in_w * (size_t)p->in_c + (size_t)c0;
                        const int8_t *w_row = w_oc + (size_t)fy * (size_t)p->filter_w *
                                              (size_t)p->filter_in_c;
                        int32_t part = 0;
                        if (row_fits) {
                            const size_t in_step = (size_t)p->dilation_w * (size_t)p->in_c;
                            const int16_t *in = in_row + (size_t)(x0 + p->dilation_w * fx_lo) *
                                                (size_t)p->in_c;
                            const int8_t *w = w_row + (size_t)fx_lo * (size_t)p->filter_in_c;
                            for (fx = 0; fx < fx_hi - fx_lo; ++fx) {  /* indices, no
                                                                       * pointer past the data */
                                const int16_t *in_x = in + (size_t)fx * in_step;
                                const int8_t *w_x = w + (size_t)fx * (size_t)p->filter_in_c;
                                for (ic = 0; ic < p->filter_in_c; ++ic) {
                                    part += (int32_t)w_x[ic] * (int32_t)in_x[ic];
                                }
                            }
                            acc += part;
                            continue;
                        }
                        for (fx = fx_lo; fx < fx_hi; ++fx) {
                            const int16_t *in = in_row + (size_t)(x0 + p->dilation_w * fx) *
                                                (size_t)p->in_c;
                            const int8_t *w = w_row + (size_t)fx * (size_t)p->filter_in_c;
                            int32_t d = 0, chunk_end;
                            while (d < p->filter_in_c) {
                                chunk_end = p->filter_in_c - d > MF_CONV_S16_CHUNK
                                    ? d + MF_CONV_S16_CHUNK : p->filter_in_c;
                                for (ic = d; ic < chunk_end; ++ic) {
                                    part += (int32_t)w[ic] * (int32_t)in[ic];
                                }
                                d = chunk_end;
                                acc += part;
                                part = 0;
                            }
                        }
                    }
                    out[oc] = mf_conv_s16_out(p, acc, oc);
                }
                if (pixel_scratch != NULL) {
                    memcpy(dst, pixel_scratch, (size_t)p->out_c * sizeof(int16_t));
                }
            }
        }
    }
}

int32_t mf_conv2d_s16_scratch_bytes(const mf_conv2d_s16_params *p) {
    const int pointwise = p->filter_h == 1 && p->filter_w == 1 && p->stride_h == 1
                          && p->stride_w == 1 && p->filter_in_c == p->in_c;
    return pointwise && p->out_c <= p->in_c ? p->out_c * (int32_t)sizeof(int16_t) : 0;
}
