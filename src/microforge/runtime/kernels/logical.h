/* microforge runtime: LOGICAL_AND, LOGICAL_OR (TFLite broadcasting) and LOGICAL_NOT on bool
 * tensors (uint8_t 0/1), as TFLM's logical.cc and logical_not.cc. */
#ifndef MF_LOGICAL_H
#define MF_LOGICAL_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    int32_t is_and; /* 1: LOGICAL_AND, 0: LOGICAL_OR */
} mf_logical_params;

void mf_logical(const mf_logical_params *p, const uint8_t *input1, const uint8_t *input2,
                uint8_t *output);
void mf_logical_not(const uint8_t *input, uint8_t *output, int32_t count);

#endif /* MF_LOGICAL_H */
