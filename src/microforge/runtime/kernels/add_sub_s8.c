/* microforge runtime: ADD/SUB int8 (TFLite reference arithmetic, bit-exact). */
#include "add_sub_s8.h"

static inline int32_t mf_add_sub_rescale(const mf_add_sub_s8_params *p, int8_t x, int32_t offset,
                                         int32_t multiplier, int32_t shift) {
    const int32_t shifted = (int32_t)((uint32_t)((int32_t)x + offset) << p->left_shift);
    return mf_multiply_by_quantized_multiplier(shifted, multiplier, shift);
}

static inline int8_t mf_add_one_s8(const mf_add_sub_s8_params *p, int8_t a, int8_t b) {
    const int32_t sa = mf_add_sub_rescale(p, a, p->input1_offset, p->input1_multiplier,
                                          p->input1_shift);
    const int32_t sb = mf_add_sub_rescale(p, b, p->input2_offset, p->input2_multiplier,
                                          p->input2_shift);
    const int32_t raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(
        sa + sb, p->output_multiplier, p->output_shift), p->output_offset);
    return (int8_t)MF_CLAMP(raw, p->act_min, p->act_max);
}

static inline int8_t mf_sub_one_s8(const mf_add_sub_s8_params *p, int8_t a, int8_t b) {
    const int32_t sa = mf_add_sub_rescale(p, a, p->input1_offset, p->input1_multiplier,
                                          p->input1_shift);
    const int32_t sb = mf_add_sub_rescale(p, b, p->input2_offset, p->input2_multiplier,
                                          p->input2_shift);
    const int32_t raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(
        sa - sb, p->output_multiplier, p->output_shift), p->output_offset);
    return (int8_t)MF_CLAMP(raw, p->act_min, p->act_max);
}

void mf_add_sub_s8(const mf_add_sub_s8_params *p, const int8_t *input1, const int8_t *input2,
                   int8_t *output) {
    if (p->subtract) {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_sub_one_s8, p);
    } else {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_add_one_s8, p);
    }
}
