/* microforge runtime: GATHER (TFLite semantics, any element size): for every batch, outer
 * index and coordinate, copy one inner block of the input's row `coords[batch][coord]`. */
#ifndef MF_GATHER_H
#define MF_GATHER_H

#include "mf_common.h"

typedef struct {
    int32_t batch_size;   /* product of the first batch_dims input dimensions */
    int32_t outer_size;   /* product of the dimensions between batch_dims and axis */
    int32_t axis_size;    /* input dimension along axis */
    int32_t coord_size;   /* coordinates per batch */
    int32_t inner_bytes;  /* bytes of one gathered block (dimensions after axis) */
} mf_gather_params;

/* A coordinate outside [0, axis_size) (undefined in TFLM) writes a zero block. */
void mf_gather(const mf_gather_params *p, const void *input, const int32_t *coords, void *output);

#endif /* MF_GATHER_H */
