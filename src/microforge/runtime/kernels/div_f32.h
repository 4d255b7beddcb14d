/* microforge runtime: DIV float32 with TFLite broadcasting and fused activation. */
#ifndef MF_DIV_F32_H
#define MF_DIV_F32_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    float act_min;
    float act_max;
} mf_div_f32_params;

/* out = clamp(a / b, act_min, act_max) */
void mf_div_f32(const mf_div_f32_params *p, const float *input1, const float *input2,
                float *output);

#endif /* MF_DIV_F32_H */
