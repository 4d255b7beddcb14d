/* microforge runtime: SELECT_V2 (see select.h). */
#include <string.h>

#include "select.h"

void mf_select(const mf_select_params *p, const uint8_t *condition, const void *x,
               const void *y, void *output) {
    const uint8_t *xs = (const uint8_t *)x;
    const uint8_t *ys = (const uint8_t *)y;
    uint8_t *out = (uint8_t *)output;
    const size_t size = (size_t)p->elem_size;
    int32_t i0, i1, i2, i3, i4;
    for (i0 = 0; i0 < p->dims[0]; ++i0) {
        for (i1 = 0; i1 < p->dims[1]; ++i1) {
            for (i2 = 0; i2 < p->dims[2]; ++i2) {
                for (i3 = 0; i3 < p->dims[3]; ++i3) {
                    for (i4 = 0; i4 < p->dims[4]; ++i4) {
                        const int32_t c = i0 * p->cond_strides[0] + i1 * p->cond_strides[1] +
                                          i2 * p->cond_strides[2] + i3 * p->cond_strides[3] +
                                          i4 * p->cond_strides[4];
                        const int32_t xi = i0 * p->x_strides[0] + i1 * p->x_strides[1] +
                                           i2 * p->x_strides[2] + i3 * p->x_strides[3] +
                                           i4 * p->x_strides[4];
                        const int32_t yi = i0 * p->y_strides[0] + i1 * p->y_strides[1] +
                                           i2 * p->y_strides[2] + i3 * p->y_strides[3] +
                                           i4 * p->y_strides[4];
                        const uint8_t *src = condition[c] ? xs + (size_t)xi * size
                                                          : ys + (size_t)yi * size;
                        memcpy(out, src, size);
                        out += size;
                    }
                }
            }
        }
    }
}
