/* microforge runtime: AVERAGE_POOL_2D int16 (TFLite reference rounding, bit-exact). */
#include "average_pool2d_s16.h"

void mf_average_pool2d_s16(const mf_average_pool2d_s16_params *p, const int16_t *input,
                          int16_t *output) {
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in_b = input + (size_t)b * (size_t)(p->in_h * p->in_w * p->channels);
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            const int32_t y_start = MF_MAX(0, y0);
            const int32_t y_end = MF_MIN(p->in_h, y0 + p->filter_h);
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                const int32_t x_start = MF_MAX(0, x0);
                const int32_t x_end = MF_MIN(p->in_w, x0 + p->filter_w);
                const int32_t count = (y_end - y_start) * (x_end - x_start);
                for (c = 0; c < p->channels; ++c) {
                    int32_t acc = 0;
                    for (y = y_start; y < y_end; ++y) {
                        for (x = x_start; x < x_end; ++x) {
                            acc += in_b[(y * p->in_w + x) * p->channels + c];
                        }
                    }
                    if (count > 0) {
                        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    *output++ = (int16_t)MF_CLAMP(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}
