/* microforge runtime: LEAKY_RELU int8. */
#ifndef MF_LEAKY_RELU_S8_H
#define MF_LEAKY_RELU_S8_H

#include "mf_common.h"

typedef struct {
    int32_t size;
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t identity_multiplier;  /* input_scale / output_scale */
    int32_t identity_shift;
    int32_t alpha_multiplier;     /* |input_scale * alpha / output_scale| */
    int32_t alpha_shift;
    int32_t alpha_negative;       /* 1 when alpha < 0: the scaled value is negated */
} mf_leaky_relu_s8_params;

void mf_leaky_relu_s8(const mf_leaky_relu_s8_params *p, const int8_t *input, int8_t *output);
/* int16 -> int16 with the same parameters (TFLM's QuantizeLeakyRelu<int16_t>). */
void mf_leaky_relu_s16(const mf_leaky_relu_s8_params *p, const int16_t *input,
                       int16_t *output);

#endif /* MF_LEAKY_RELU_S8_H */
