/* microforge runtime: GATHER (see gather.h). */
#include <string.h>

#include "gather.h"

void mf_gather(const mf_gather_params *p, const void *input, const int32_t *coords, void *output) {
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const size_t block = (size_t)p->inner_bytes;
    int32_t batch, outer, coord;
    for (batch = 0; batch < p->batch_size; ++batch) {
        const int32_t *c = coords + (size_t)batch * (size_t)p->coord_size;
        for (outer = 0; outer < p->outer_size; ++outer) {
            const size_t row = ((size_t)batch * (size_t)p->outer_size + (size_t)outer);
            for (coord = 0; coord < p->coord_size; ++coord) {
                uint8_t *dst = out + (row * (size_t)p->coord_size + (size_t)coord) * block;
                const int32_t k = c[coord];
                if (k < 0 || k >= p->axis_size) {
                    memset(dst, 0, block);
                } else {
                    memcpy(dst, in + (row * (size_t)p->axis_size + (size_t)k) * block, block);
                }
            }
        }
    }
}
