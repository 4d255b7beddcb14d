/* microforge runtime: MAX_POOL_2D s16 (TFLite reference semantics). */
#include "max_pool2d_s16.h"

void mf_max_pool2d_s16(const mf_max_pool2d_s16_params *p, const int16_t *input, int16_t *output) {
    int32_t b, oy, ox, fy, fx, c;
    const int32_t depth = p->depth;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in_b = input + (size_t)b * (size_t)p->in_h * (size_t)p->in_w * (size_t)depth;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            const int32_t fy_start = MF_MAX(0, -y0);
            const int32_t fy_end = MF_MIN(p->filter_h, p->in_h - y0);
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                const int32_t fx_start = MF_MAX(0, -x0);
                const int32_t fx_end = MF_MIN(p->filter_w, p->in_w - x0);
                int16_t *out = output + (((size_t)b * (size_t)p->out_h + (size_t)oy) * (size_t)p->out_w
                                      + (size_t)ox) * (size_t)depth;
                for (c = 0; c < depth; ++c) {
                    out[c] = -32768;
                }
                for (fy = fy_start; fy < fy_end; ++fy) {
                    for (fx = fx_start; fx < fx_end; ++fx) {
                        const int16_t *in = in_b + ((size_t)(y0 + fy) * (size_t)p->in_w
                                                 + (size_t)(x0 + fx)) * (size_t)depth;
                        for (c = 0; c < depth; ++c) {
                            if (out[c] < in[c]) {
                                out[c] = in[c];
                            }
                        }
                    }
                }
                for (c = 0; c < depth; ++c) {
                    int32_t v = (int32_t)out[c];
                    v = v < p->act_min ? p->act_min : v;
                    v = v > p->act_max ? p->act_max : v;
                    out[c] = (int16_t)v;
                }
            }
        }
    }
}
