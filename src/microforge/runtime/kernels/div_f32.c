/* microforge runtime: DIV float32 (TFLite's reference expression). */
#include "div_f32.h"

static inline float mf_div_one_f32(const mf_div_f32_params *p, float a, float b) {
    const float x = a / b;
    const float lower = x < p->act_min ? p->act_min : x;
    return lower > p->act_max ? p->act_max : lower;
}

void mf_div_f32(const mf_div_f32_params *p, const float *input1, const float *input2,
                float *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_div_one_f32, p);
}
