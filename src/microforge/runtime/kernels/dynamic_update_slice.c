/* microforge runtime: DYNAMIC_UPDATE_SLICE (see dynamic_update_slice.h). */
#include <string.h>

#include "dynamic_update_slice.h"

void mf_dynamic_update_slice(const mf_dynamic_update_slice_params *p, const void *operand,
                             const void *update, const void *indices, void *output) {
    const size_t size = (size_t)p->elem_size;
    int64_t operand_elems = 1, update_elems = 1;
    int32_t start[MF_DUS_MAX_RANK], out_stride[MF_DUS_MAX_RANK], index[MF_DUS_MAX_RANK];
    const uint8_t *src = (const uint8_t *)update;
    uint8_t *out = (uint8_t *)output;
    int32_t d;
    int64_t n;
    for (d = 0; d < p->rank; ++d) {
        operand_elems *= p->operand_dims[d];
        update_elems *= p->update_dims[d];
    }
    if (operand_elems == update_elems) {
        memcpy(output, update, (size_t)operand_elems * size);
        return;
    }
    if (output != operand) {
        memcpy(output, operand, (size_t)operand_elems * size);
    }
    if (update_elems == 0 || p->rank == 0) {
        return;
    }
    for (d = p->rank - 1; d >= 0; --d) {
        const int64_t raw = p->indices_int64 ? ((const int64_t *)indices)[d]
                                             : (int64_t)((const int32_t *)indices)[d];
        const int64_t hi = (int64_t)p->operand_dims[d] - p->update_dims[d];
        start[d] = (int32_t)(raw < 0 ? 0 : (raw > hi ? hi : raw));
        out_stride[d] = d == p->rank - 1 ? 1 : out_stride[d + 1] * p->operand_dims[d + 1];
        index[d] = 0;
    }
    /* one contiguous run of the update's last dimension per index of the others */
    for (n = 0; n < update_elems / p->update_dims[p->rank - 1]; ++n) {
        int64_t offset = 0;
        for (d = 0; d < p->rank; ++d) {
            offset += (int64_t)(start[d] + index[d]) * out_stride[d];
        }
        memcpy(out + (size_t)offset * size, src, (size_t)p->update_dims[p->rank - 1] * size);
        src += (size_t)p->update_dims[p->rank - 1] * size;
        for (d = p->rank - 2; d >= 0; --d) {
            if (++index[d] < p->update_dims[d]) {
                break;
            }
            index[d] = 0;
        }
    }
}
