/* microforge runtime: CONV_2D 16x8 (TFLite reference arithmetic, bit-exact). */
#include <string.h>

#include "conv2d_s16.h"
#include "mf_requantize64.h"

void mf_conv2d_s16(const mf_conv2d_s16_params *p, const int16_t *input, const int8_t *filter,
                   const int64_t *bias, int16_t *output, int16_t *pixel_scratch) {
    const int32_t groups = p->in_c / p->filter_in_c;
    const int32_t per_group = p->out_c / groups;
    int32_t b, oy, ox, oc, fy, fx, ic;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                int16_t *dst = output + (((size_t)b * (size_t)p->out_h + (size_t)oy) *
                                         (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
                int16_t *out = pixel_scratch != NULL ? pixel_scratch : dst;
                for (oc = 0; oc < p->out_c; ++oc) {
                    const int32_t c0 = (oc / per_group) * p->filter_in_c;
                    int64_t acc = bias != NULL ? bias[oc] : 0;
                    int32_t v;
                    for (fy = 0; fy < p->filter_h; ++fy) {
                        const int32_t iy = y0 + p->dilation_h * fy;
                        if (iy < 0 || iy >= p->in_h) {
                            continue;
                        }
                        for (fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t ix = x0 + p->dilation_w * fx;
                            const int16_t *in;
                            const int8_t *w;
                            int32_t part = 0;
                            if (ix < 0 || ix >= p->in_w) {
                                continue;
                            }
                            in = input + (((size_t)b * (size_t)p->in_h + (size_t)iy) *
                                          (size_t)p->in_w + (size_t)ix) * (size_t)p->in_c +
                                 (size_t)c0;
                            w = filter + (((size_t)oc * (size_t)p->filter_h + (size_t)fy) *
                                          (size_t)p->filter_w + (size_t)fx) *
                                         (size_t)p->filter_in_c;
                            /* products below 2^22: an int32 sum of up to 256 is exact */
                            for (ic = 0; ic < p->filter_in_c; ++ic) {
                                part += (int32_t)w[ic] * (int32_t)in[ic];
                                if ((ic & 255) == 255) {
                                    acc += part;
                                    part = 0;
                                }
                            }
                            acc += part;
                        }
                    }
                    v = p->acc32
                        ? mf_multiply_by_quantized_multiplier((int32_t)acc, p->multiplier[oc],
                                                              p->shift[oc])
                        : mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[oc],
                                                                  p->shift[oc]);
                    out[oc] = (int16_t)MF_CLAMP(v, p->act_min, p->act_max);
                }
                if (pixel_scratch != NULL) {
                    memcpy(dst, pixel_scratch, (size_t)p->out_c * sizeof(int16_t));
                }
            }
        }
    }
}
