/* microforge runtime: GATHER_ND (TFLite semantics, any element size): slice i of the output
 * is the params slice at the index vector indices[i][0..index_depth). */
#ifndef MF_GATHER_ND_H
#define MF_GATHER_ND_H

#include "mf_common.h"

#define MF_GATHER_ND_MAX_DEPTH 5

typedef struct {
    int32_t slices;        /* index vectors */
    int32_t index_depth;   /* entries per index vector, <= MF_GATHER_ND_MAX_DEPTH */
    int32_t slice_size;    /* elements copied per index vector */
    int32_t params_size;   /* elements of params */
    int32_t strides[MF_GATHER_ND_MAX_DEPTH];  /* elements per step of each indexed dimension */
    int32_t elem_size;     /* bytes */
} mf_gather_nd_params;

/* An index vector outside params (an error in TFLM) writes a zero slice. */
void mf_gather_nd(const mf_gather_nd_params *p, const void *params, const int32_t *indices,
                  void *output);

#endif /* MF_GATHER_ND_H */
