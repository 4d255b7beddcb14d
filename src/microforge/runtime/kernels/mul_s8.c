/* microforge runtime: MUL int8 (TFLite reference arithmetic, bit-exact). */
#include "mul_s8.h"

static inline int8_t mf_mul_one_s8(const mf_mul_s8_params *p, int8_t a, int8_t b) {
    const int32_t product = ((int32_t)a + p->input1_offset) * ((int32_t)b + p->input2_offset);
    const int32_t raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(
        product, p->output_multiplier, p->output_shift), p->output_offset);
    return (int8_t)MF_CLAMP(raw, p->act_min, p->act_max);
}

void mf_mul_s8(const mf_mul_s8_params *p, const int8_t *input1, const int8_t *input2,
               int8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_mul_one_s8, p);
}
