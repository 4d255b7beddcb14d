/* microforge runtime: int32 ADD, SUB, MUL, MAXIMUM, MINIMUM with TFLite broadcasting. */
#ifndef MF_BINARY_S32_H
#define MF_BINARY_S32_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    int32_t op;      /* MF_BINARY_* */
    int32_t act_min; /* fused activation range (TFLM: ADD ignores it; SUB and MUL clamp) */
    int32_t act_max;
} mf_binary_s32_params;

/* Sums, differences and products wrap modulo 2^32 (TFLite's C++ overflows; gcc wraps). */
void mf_binary_s32(const mf_binary_s32_params *p, const int32_t *input1, const int32_t *input2,
                   int32_t *output);

#endif /* MF_BINARY_S32_H */
