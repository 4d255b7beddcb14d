/* microforge runtime: float32 ADD, SUB, MUL, MAXIMUM, MINIMUM with TFLite broadcasting. */
#ifndef MF_BINARY_F32_H
#define MF_BINARY_F32_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

enum { MF_BINARY_ADD = 0, MF_BINARY_SUB = 1, MF_BINARY_MUL = 2, MF_BINARY_MAX = 3,
       MF_BINARY_MIN = 4 };

typedef struct {
    mf_broadcast_shape shape;
    int32_t op;      /* MF_BINARY_* */
    float act_min;   /* fused activation range (-FLT_MAX/FLT_MAX when none), ADD/SUB/MUL */
    float act_max;
} mf_binary_f32_params;

void mf_binary_f32(const mf_binary_f32_params *p, const float *input1, const float *input2,
                   float *output);

#endif /* MF_BINARY_F32_H */
