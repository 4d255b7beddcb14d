/* microforge runtime: ADD_N (see add_n.h). */
#include "add_n.h"

void mf_add_n_f32(const mf_add_n_params *p, const float *const *inputs, float *output) {
    int32_t i, j;
    for (i = 0; i < p->size; ++i) {
        float x = 0.0f;
        for (j = 0; j < p->count; ++j) {
            x += inputs[j][i];
        }
        output[i] = x;
    }
}

static int32_t mf_add_n_scaled(const mf_add_n_params *p, int32_t value) {
    const int32_t shifted = (int32_t)((uint32_t)value << p->left_shift);
    return mf_multiply_by_quantized_multiplier(shifted, p->input_multiplier, p->input_shift);
}

void mf_add_n_s8(const mf_add_n_params *p, const int8_t *const *inputs, int8_t *output) {
    /* TFLite's reference begins with x = input_offset (its comment says 0) */
    const int32_t start = mf_add_n_scaled(p, p->input_offset);
    int32_t i, j;
    for (i = 0; i < p->size; ++i) {
        int32_t sum = start;
        int32_t raw;
        for (j = 0; j < p->count; ++j) {
            sum = mf_add_wrap(sum, mf_add_n_scaled(p, p->input_offset + inputs[j][i]));
        }
        raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(sum, p->output_multiplier,
                                                               p->output_shift),
                          p->output_offset);
        output[i] = (int8_t)MF_CLAMP(raw, -128, 127);
    }
}
