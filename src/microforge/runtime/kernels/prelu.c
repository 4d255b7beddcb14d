/* microforge runtime: PRELU float32 and int8. */
#include "prelu.h"

static inline float mf_prelu_one_f32(const void *unused, float x, float alpha) {
    (void)unused;
    return x >= 0.0f ? x : x * alpha;
}

void mf_prelu_f32(const mf_broadcast_shape *shape, const float *input, const float *alpha,
                  float *output) {
    MF_BROADCAST_APPLY(shape, input, alpha, output, mf_prelu_one_f32, (const void *)0);
}

/* BroadcastPrelu4DSlow's op before the clamp (|x * alpha| < 2^24 for int16 x int8). */
static inline int32_t mf_prelu_raw(const mf_prelu_s8_params *p, int32_t x, int8_t alpha) {
    const int32_t input_value = p->input_offset + x;
    int32_t raw;
    if (input_value >= 0) {
        raw = mf_multiply_by_quantized_multiplier(input_value, p->output_multiplier_1,
                                                  p->output_shift_1);
    } else {
        const int32_t alpha_value = p->alpha_offset + (int32_t)alpha;
        raw = mf_multiply_by_quantized_multiplier(input_value * alpha_value,
                                                  p->output_multiplier_2, p->output_shift_2);
    }
    return mf_add_wrap(raw, p->output_offset);
}

static inline int8_t mf_prelu_one_s8(const mf_prelu_s8_params *p, int8_t x, int8_t alpha) {
    const int32_t raw = mf_prelu_raw(p, x, alpha);
    return (int8_t)MF_CLAMP(raw, -128, 127);
}

static inline int16_t mf_prelu_one_s16(const mf_prelu_s8_params *p, int16_t x, int8_t alpha) {
    const int32_t raw = mf_prelu_raw(p, x, alpha);
    return (int16_t)MF_CLAMP(raw, -32768, 32767);
}

void mf_prelu_s8(const mf_prelu_s8_params *p, const int8_t *input, const int8_t *alpha,
                 int8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input, alpha, output, mf_prelu_one_s8, p);
}

void mf_prelu_s16(const mf_prelu_s8_params *p, const int16_t *input, const int8_t *alpha,
                  int16_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input, alpha, output, mf_prelu_one_s16, p);
}
