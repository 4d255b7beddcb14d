/* microforge runtime: GATHER_ND (see gather_nd.h). */
#include <string.h>

#include "gather_nd.h"

void mf_gather_nd(const mf_gather_nd_params *p, const void *params, const int32_t *indices,
                  void *output) {
    const uint8_t *src = (const uint8_t *)params;
    uint8_t *out = (uint8_t *)output;
    const size_t slice_bytes = (size_t)p->slice_size * (size_t)p->elem_size;
    int32_t i, j;
    for (i = 0; i < p->slices; ++i) {
        int64_t from = 0;
        for (j = 0; j < p->index_depth; ++j) {
            from += (int64_t)indices[i * p->index_depth + j] * p->strides[j];
        }
        if (from < 0 || from + p->slice_size > p->params_size) {
            memset(out + (size_t)i * slice_bytes, 0, slice_bytes);
        } else {
            memcpy(out + (size_t)i * slice_bytes, src + (size_t)from * (size_t)p->elem_size,
                   slice_bytes);
        }
    }
}
