/* microforge runtime: LEAKY_RELU int8 and int16 (TFLite reference arithmetic, bit-exact). */
#include "leaky_relu_s8.h"

/* TFLite's QuantizeLeakyRelu for one value, before the clamp to the type's range. */
static inline int32_t mf_leaky_relu_raw(const mf_leaky_relu_s8_params *p, int32_t value) {
    const int32_t x = value - p->input_zero_point;
    int32_t raw = p->output_zero_point;
    if (x >= 0) {
        raw = mf_add_wrap(raw, mf_multiply_by_quantized_multiplier(
            x, p->identity_multiplier, p->identity_shift));
    } else {
        const int32_t scaled = mf_multiply_by_quantized_multiplier(x, p->alpha_multiplier,
                                                                   p->alpha_shift);
        raw = p->alpha_negative ? (int32_t)((uint32_t)raw - (uint32_t)scaled)
                                : mf_add_wrap(raw, scaled);
    }
    return raw;
}

void mf_leaky_relu_s8(const mf_leaky_relu_s8_params *p, const int8_t *input, int8_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t raw = mf_leaky_relu_raw(p, input[i]);
        output[i] = (int8_t)MF_CLAMP(raw, -128, 127);
    }
}

void mf_leaky_relu_s16(const mf_leaky_relu_s8_params *p, const int16_t *input,
                       int16_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t raw = mf_leaky_relu_raw(p, input[i]);
        output[i] = (int16_t)MF_CLAMP(raw, -32768, 32767);
    }
}
