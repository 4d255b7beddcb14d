/* microforge runtime: RESIZE_BILINEAR (see resize_bilinear.h), TFLite's arithmetic order. */
#include "resize_bilinear.h"

#define MF_RB_AT(p, b, y, x, c) ((((b) * (p)->in_h + (y)) * (p)->in_w + (x)) * (p)->depth + (c))

void mf_resize_bilinear_f32(const mf_resize_bilinear_params *p, const int32_t *rows,
                            const int32_t *cols, const float *wy, const float *wx,
                            const float *input, float *output) {
    int32_t b, y, x, c;
    for (b = 0; b < p->batches; ++b) {
        for (y = 0; y < p->out_h; ++y) {
            const int32_t y0 = rows[2 * y], y1 = rows[2 * y + 1];
            const float wy0 = wy[2 * y], wy1 = wy[2 * y + 1];
            for (x = 0; x < p->out_w; ++x) {
                const int32_t x0 = cols[2 * x], x1 = cols[2 * x + 1];
                const float wx0 = wx[2 * x], wx1 = wx[2 * x + 1];
                for (c = 0; c < p->depth; ++c) {
                    const float v = input[MF_RB_AT(p, b, y0, x0, c)] * wy0 * wx0 +
                                    input[MF_RB_AT(p, b, y1, x0, c)] * wy1 * wx0 +
                                    input[MF_RB_AT(p, b, y0, x1, c)] * wy0 * wx1 +
                                    input[MF_RB_AT(p, b, y1, x1, c)] * wy1 * wx1 + 0.0f;
                    *output++ = v;
                }
            }
        }
    }
}

void mf_resize_bilinear_s8(const mf_resize_bilinear_params *p, const int32_t *rows,
                           const int32_t *cols, const int32_t *wy, const int32_t *wx,
                           const int8_t *input, int8_t *output) {
    int32_t b, y, x, c;
    for (b = 0; b < p->batches; ++b) {
        for (y = 0; y < p->out_h; ++y) {
            const int32_t y0 = rows[2 * y], y1 = rows[2 * y + 1];
            const int64_t ty = wy[y];
            for (x = 0; x < p->out_w; ++x) {
                const int32_t x0 = cols[2 * x], x1 = cols[2 * x + 1];
                const int64_t tx = wx[x];
                for (c = 0; c < p->depth; ++c) {
                    const int64_t sum =
                        (int64_t)input[MF_RB_AT(p, b, y0, x0, c)] * (1024 - ty) * (1024 - tx) +
                        (int64_t)input[MF_RB_AT(p, b, y1, x0, c)] * ty * (1024 - tx) +
                        (int64_t)input[MF_RB_AT(p, b, y0, x1, c)] * (1024 - ty) * tx +
                        (int64_t)input[MF_RB_AT(p, b, y1, x1, c)] * ty * tx;
                    const int64_t round = sum > 0 ? ((int64_t)1 << 19) : -((int64_t)1 << 19);
                    *output++ = (int8_t)((sum + round) / ((int64_t)1 << 20));
                }
            }
        }
    }
}
