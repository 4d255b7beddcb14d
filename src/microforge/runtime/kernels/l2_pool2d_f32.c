/* microforge runtime: L2_POOL_2D float32 (see l2_pool2d_f32.h), TFLite's loop order. */
#include <math.h>

#include "l2_pool2d_f32.h"

void mf_l2_pool2d_f32(const mf_l2_pool2d_f32_params *p, const float *input, float *output) {
    int32_t b, oy, ox, c, fy, fx;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                const int32_t y0 = oy * p->stride_h - p->pad_h;
                const int32_t fx_start = x0 < 0 ? -x0 : 0;
                const int32_t fx_end = p->filter_w < p->in_w - x0 ? p->filter_w : p->in_w - x0;
                const int32_t fy_start = y0 < 0 ? -y0 : 0;
                const int32_t fy_end = p->filter_h < p->in_h - y0 ? p->filter_h : p->in_h - y0;
                for (c = 0; c < p->channels; ++c) {
                    float sum = 0.0f;
                    int32_t count = 0;
                    float v;
                    for (fy = fy_start; fy < fy_end; ++fy) {
                        for (fx = fx_start; fx < fx_end; ++fx) {
                            const float x = input[((b * p->in_h + y0 + fy) * p->in_w + x0 + fx)
                                                  * p->channels + c];
                            sum += x * x;
                            count++;
                        }
                    }
                    v = sqrtf(sum / (float)count);
                    v = v < p->act_min ? p->act_min : v;
                    v = v > p->act_max ? p->act_max : v;
                    output[((b * p->out_h + oy) * p->out_w + ox) * p->channels + c] = v;
                }
            }
        }
    }
}
