/* microforge runtime: RESIZE_NEAREST_NEIGHBOR (a copy of channel vectors). */
#include <string.h>

#include "resize_nearest.h"

void mf_resize_nearest(const mf_resize_nearest_params *p, const int32_t *y_map,
                       const int32_t *x_map, const void *input, void *output) {
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const size_t col = (size_t)p->depth_bytes;
    const size_t row = (size_t)p->in_w * col;
    const size_t batch = (size_t)p->in_h * row;
    int32_t b, y, x;
    for (b = 0; b < p->batches; ++b) {
        for (y = 0; y < p->out_h; ++y) {
            const uint8_t *in_row = in + (size_t)b * batch + (size_t)y_map[y] * row;
            for (x = 0; x < p->out_w; ++x) {
                memcpy(out, in_row + (size_t)x_map[x] * col, col);
                out += col;
            }
        }
    }
}
