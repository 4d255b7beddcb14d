/* microforge runtime: ADD/SUB int16 (TFLite reference arithmetic, bit-exact). */
#include "add_sub_s16.h"

static inline int32_t mf_add_sub_rescale_s16(const mf_add_sub_s16_params *p, int16_t x,
                                             int32_t offset, int32_t multiplier,
                                             int32_t shift) {
    const int32_t shifted = (int32_t)((uint32_t)((int32_t)x + offset) << p->left_shift);
    return mf_multiply_by_quantized_multiplier(shifted, multiplier, shift);
}

static inline int16_t mf_add_sub_out_s16(const mf_add_sub_s16_params *p, int32_t raw_sum) {
    const int32_t raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(
        raw_sum, p->output_multiplier, p->output_shift), p->output_offset);
    return (int16_t)MF_CLAMP(raw, p->act_min, p->act_max);
}

static inline int16_t mf_add_one_s16(const mf_add_sub_s16_params *p, int16_t a, int16_t b) {
    return mf_add_sub_out_s16(p, mf_add_sub_rescale_s16(p, a, p->input1_offset,
                                                        p->input1_multiplier, p->input1_shift)
                              + mf_add_sub_rescale_s16(p, b, p->input2_offset,
                                                        p->input2_multiplier,
                                                        p->input2_shift));
}

static inline int16_t mf_sub_one_s16(const mf_add_sub_s16_params *p, int16_t a, int16_t b) {
    return mf_add_sub_out_s16(p, mf_add_sub_rescale_s16(p, a, p->input1_offset,
                                                        p->input1_multiplier, p->input1_shift)
                              - mf_add_sub_rescale_s16(p, b, p->input2_offset,
                                                        p->input2_multiplier,
                                                        p->input2_shift));
}

void mf_add_sub_s16(const mf_add_sub_s16_params *p, const int16_t *input1,
                    const int16_t *input2, int16_t *output) {
    if (p->subtract) {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_sub_one_s16, p);
    } else {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_add_one_s16, p);
    }
}
