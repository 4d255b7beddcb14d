/* microforge runtime: int8 requantization (TFLite reference arithmetic, bit-exact). */
#include "requantize_s8.h"

void mf_requantize_s8(const mf_requantize_s8_params *p, const int8_t *input, int8_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t raw = mf_add_wrap(p->output_zero_point, mf_multiply_by_quantized_multiplier(
            (int32_t)input[i] - p->input_zero_point, p->multiplier, p->shift));
        output[i] = (int8_t)MF_CLAMP(raw, p->act_min, p->act_max);
    }
}

void mf_requantize_s16(const mf_requantize_s8_params *p, const int16_t *input, int16_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t raw = mf_add_wrap(p->output_zero_point, mf_multiply_by_quantized_multiplier(
            (int32_t)input[i] - p->input_zero_point, p->multiplier, p->shift));
        output[i] = (int16_t)MF_CLAMP(raw, p->act_min, p->act_max);
    }
}
