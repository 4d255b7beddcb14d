/* microforge runtime: float32 FLOOR_DIV and FLOOR_MOD (the expressions of TFLite's reference). */
#include "floor_div_mod_f32.h"

#include <math.h>

static inline float mf_floor_div_one_f32(const mf_floor_div_mod_f32_params *p, float a,
                                         float b) {
    (void)p;
    return floorf(a / b);
}

static inline float mf_floor_mod_one_f32(const mf_floor_div_mod_f32_params *p, float a,
                                         float b) {
    const float rem = fmodf(a, b);
    (void)p;
    if (rem != 0.0f && ((b < 0.0f) != (rem < 0.0f))) {
        return rem + b;
    }
    return rem;
}

void mf_floor_div_mod_f32(const mf_floor_div_mod_f32_params *p, const float *input1,
                          const float *input2, float *output) {
    if (p->op == MF_FLOOR_DIV) {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_floor_div_one_f32, p);
    } else {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_floor_mod_one_f32, p);
    }
}
