/* microforge runtime: float32 elementwise math. */
#include <math.h>

#include "unary_f32.h"

static float mf_round_half_even_f32(float value) {
    const float floor_value = floorf(value);
    const float diff = value - floor_value;
    /* |value| >= 2^23 is integral (diff 0), so the int conversion below is always defined */
    if (diff < 0.5f || (diff == 0.5f && (int32_t)floor_value % 2 == 0)) {
        return floor_value;
    }
    return floor_value + 1.0f;
}

#define MF_UNARY_F32(name, expr)                                            \
    void name(int32_t size, const float *input, float *output) {            \
        int32_t i;                                                          \
        for (i = 0; i < size; ++i) {                                        \
            const float v = input[i];                                       \
            output[i] = (expr);                                             \
        }                                                                   \
    }

MF_UNARY_F32(mf_abs_f32, fabsf(v))
MF_UNARY_F32(mf_neg_f32, -v)
MF_UNARY_F32(mf_square_f32, v * v)
MF_UNARY_F32(mf_sqrt_f32, sqrtf(v))
MF_UNARY_F32(mf_rsqrt_f32, 1.0f / sqrtf(v))
MF_UNARY_F32(mf_exp_f32, expf(v))
MF_UNARY_F32(mf_log_f32, logf(v))
MF_UNARY_F32(mf_sin_f32, sinf(v))
MF_UNARY_F32(mf_cos_f32, cosf(v))
MF_UNARY_F32(mf_floor_f32, floorf(v))
MF_UNARY_F32(mf_ceil_f32, ceilf(v))
MF_UNARY_F32(mf_round_f32, mf_round_half_even_f32(v))
MF_UNARY_F32(mf_elu_f32, v < 0.0f ? expm1f(v) : v)
