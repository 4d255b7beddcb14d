/* microforge runtime: DYNAMIC_UPDATE_SLICE: the operand with the update written at start
 * indices read at run time and clamped into range (TFLM's CalculateClampedStartIndices). */
#ifndef MF_DYNAMIC_UPDATE_SLICE_H
#define MF_DYNAMIC_UPDATE_SLICE_H

#include "mf_common.h"

#define MF_DUS_MAX_RANK 6

typedef struct {
    int32_t rank;
    int32_t operand_dims[MF_DUS_MAX_RANK];
    int32_t update_dims[MF_DUS_MAX_RANK];
    int32_t elem_size;      /* bytes */
    int32_t indices_int64;  /* the start indices are int64 (else int32) */
} mf_dynamic_update_slice_params;

/* output may be the operand's own memory (in place). */
void mf_dynamic_update_slice(const mf_dynamic_update_slice_params *p, const void *operand,
                             const void *update, const void *indices, void *output);

#endif /* MF_DYNAMIC_UPDATE_SLICE_H */
