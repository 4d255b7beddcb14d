/* microforge runtime: SQUARED_DIFFERENCE float32, int32, int8 and int16. */
#include "squared_difference.h"

static inline float mf_squared_difference_one_f32(const void *unused, float a, float b) {
    const float difference = a - b;
    (void)unused;
    return difference * difference;
}

void mf_squared_difference_f32(const mf_broadcast_shape *shape, const float *input1,
                               const float *input2, float *output) {
    MF_BROADCAST_APPLY(shape, input1, input2, output, mf_squared_difference_one_f32,
                       (const void *)0);
}

static inline int32_t mf_squared_difference_one_s32(const void *unused, int32_t a, int32_t b) {
    const uint32_t difference = (uint32_t)a - (uint32_t)b;
    (void)unused;
    return (int32_t)(difference * difference);
}

void mf_squared_difference_s32(const mf_broadcast_shape *shape, const int32_t *input1,
                               const int32_t *input2, int32_t *output) {
    MF_BROADCAST_APPLY(shape, input1, input2, output, mf_squared_difference_one_s32,
                       (const void *)0);
}

/* TFLite's quantized SquaredDifference for one pair, before the clamp. */
static inline int32_t mf_squared_difference_raw(const mf_squared_difference_s8_params *p,
                                                int32_t a, int32_t b) {
    const int32_t shifted1 = (a + p->input1_offset) * (1 << p->left_shift);
    const int32_t shifted2 = (b + p->input2_offset) * (1 << p->left_shift);
    const int32_t scaled1 = mf_multiply_by_quantized_multiplier(shifted1, p->input1_multiplier,
                                                                p->input1_shift);
    const int32_t scaled2 = mf_multiply_by_quantized_multiplier(shifted2, p->input2_multiplier,
                                                                p->input2_shift);
    const int32_t diff = scaled1 - scaled2;
    return mf_add_wrap(mf_multiply_by_quantized_multiplier(
        diff * diff, p->output_multiplier, p->output_shift), p->output_offset);
}

static inline int8_t mf_squared_difference_one_s8(const mf_squared_difference_s8_params *p,
                                                  int8_t a, int8_t b) {
    const int32_t raw = mf_squared_difference_raw(p, a, b);
    return (int8_t)MF_CLAMP(raw, -128, 127);
}

static inline int16_t mf_squared_difference_one_s16(const mf_squared_difference_s8_params *p,
                                                    int16_t a, int16_t b) {
    const int32_t raw = mf_squared_difference_raw(p, a, b);
    return (int16_t)MF_CLAMP(raw, -32768, 32767);
}

void mf_squared_difference_s8(const mf_squared_difference_s8_params *p, const int8_t *input1,
                              const int8_t *input2, int8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_squared_difference_one_s8, p);
}

void mf_squared_difference_s16(const mf_squared_difference_s8_params *p, const int16_t *input1,
                               const int16_t *input2, int16_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_squared_difference_one_s16, p);
}
