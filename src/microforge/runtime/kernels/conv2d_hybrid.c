/* microforge runtime: hybrid CONV_2D with the arithmetic of TFLite's reference hybrid kernels:
 * per-channel weights use an asymmetric input (acc * channel scale * input scale + bias),
 * per-tensor weights a symmetric input (acc * (input scale * weight scale) + bias). */
#include <stddef.h>
#include "conv2d_hybrid.h"
#include "hybrid_quantize.h"

void mf_conv2d_hybrid(const mf_conv2d_hybrid_params *p, const float *input, const int8_t *filter,
                      const float *bias, float *output, int8_t *scratch) {
    const int32_t per_group = p->out_c / (p->in_c / p->filter_in_c);
    const int32_t image = p->in_h * p->in_w * p->in_c;
    int32_t b, oy, ox, oc, fy, fx, ic;
    for (b = 0; b < p->batches; ++b) {
        int32_t zp = 0;
        float scale = p->per_channel
            ? mf_hybrid_quantize_asymmetric(input + (size_t)b * (size_t)image, image, scratch, &zp)
            : mf_hybrid_quantize_symmetric(input + (size_t)b * (size_t)image, image, scratch);
        if (!p->per_channel) {
            scale *= p->weight_scale[0];
        }
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                for (oc = 0; oc < p->out_c; ++oc) {
                    const int32_t ic0 = (oc / per_group) * p->filter_in_c;
                    const int8_t *f_oc = filter + (size_t)oc * (size_t)(p->filter_h * p->filter_w
                                                                        * p->filter_in_c);
                    int32_t acc = 0;
                    float value;
                    for (fy = 0; fy < p->filter_h; ++fy) {
                        const int32_t y = y0 + fy * p->dilation_h;
                        if (y < 0 || y >= p->in_h) {
                            continue;
                        }
                        for (fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t x = x0 + fx * p->dilation_w;
                            const int8_t *in_px;
                            const int8_t *f_px;
                            if (x < 0 || x >= p->in_w) {
                                continue;
                            }
                            in_px = scratch + (size_t)((y * p->in_w + x) * p->in_c + ic0);
                            f_px = f_oc + (size_t)((fy * p->filter_w + fx) * p->filter_in_c);
                            for (ic = 0; ic < p->filter_in_c; ++ic) {
                                acc += (int32_t)f_px[ic] * ((int32_t)in_px[ic] - zp);
                            }
                        }
                    }
                    value = p->per_channel ? (float)acc * p->weight_scale[oc] * scale
                                           : (float)acc * scale;
                    value += bias != NULL ? bias[oc] : 0.0f;
                    value = value < p->act_min ? p->act_min : value;
                    *output++ = value > p->act_max ? p->act_max : value;
                }
            }
        }
    }
}

int32_t mf_conv2d_hybrid_scratch_bytes(const mf_conv2d_hybrid_params *p) {
    return p->in_h * p->in_w * p->in_c;
}
