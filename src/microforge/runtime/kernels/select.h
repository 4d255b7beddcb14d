/* microforge runtime: SELECT_V2, out = condition ? x : y with the three inputs broadcast to the
 * output (TFLM's BroadcastSelect5DSlow), any element size: raw bytes are moved. */
#ifndef MF_SELECT_H
#define MF_SELECT_H

#include "mf_common.h"

#define MF_SELECT_RANK 5

typedef struct {
    int32_t dims[MF_SELECT_RANK];          /* the output shape, padded with leading 1s */
    int32_t cond_strides[MF_SELECT_RANK];  /* elements; 0 along a broadcast dimension */
    int32_t x_strides[MF_SELECT_RANK];
    int32_t y_strides[MF_SELECT_RANK];
    int32_t elem_size;                     /* bytes of one x / y / output element */
} mf_select_params;

/* condition: bool (one byte, 0 or 1). */
void mf_select(const mf_select_params *p, const uint8_t *condition, const void *x,
               const void *y, void *output);

#endif /* MF_SELECT_H */
