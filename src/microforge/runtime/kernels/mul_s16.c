/* microforge runtime: MUL int16 (TFLite reference arithmetic, bit-exact). */
#include "mul_s16.h"

static inline int16_t mf_mul_one_s16(const mf_mul_s16_params *p, int16_t a, int16_t b) {
    const int32_t product = ((int32_t)a + p->input1_offset) * ((int32_t)b + p->input2_offset);
    const int32_t raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(
        product, p->output_multiplier, p->output_shift), p->output_offset);
    return (int16_t)MF_CLAMP(raw, p->act_min, p->act_max);
}

void mf_mul_s16(const mf_mul_s16_params *p, const int16_t *input1, const int16_t *input2,
                int16_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_mul_one_s16, p);
}
