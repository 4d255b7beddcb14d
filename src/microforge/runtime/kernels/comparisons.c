/* microforge runtime: the comparison ops (see comparisons.h). */
#include "comparisons.h"

#define MF_CMP_ONE(NAME, T)                                                                \
    static inline uint8_t NAME(const mf_compare_params *p, T a, T b) {                     \
        switch (p->op) {                                                                   \
        case MF_CMP_EQUAL: return (uint8_t)(a == b);                                       \
        case MF_CMP_NOT_EQUAL: return (uint8_t)(a != b);                                   \
        case MF_CMP_GREATER: return (uint8_t)(a > b);                                      \
        case MF_CMP_GREATER_EQUAL: return (uint8_t)(a >= b);                               \
        case MF_CMP_LESS: return (uint8_t)(a < b);                                         \
        default: return (uint8_t)(a <= b);                                                 \
        }                                                                                  \
    }

MF_CMP_ONE(mf_cmp_one_f32, float)
MF_CMP_ONE(mf_cmp_one_s32, int32_t)
MF_CMP_ONE(mf_cmp_one_s64, int64_t)
MF_CMP_ONE(mf_cmp_one_b, uint8_t)

void mf_compare_f32(const mf_compare_params *p, const float *input1, const float *input2,
                    uint8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_cmp_one_f32, p);
}

void mf_compare_s32(const mf_compare_params *p, const int32_t *input1, const int32_t *input2,
                    uint8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_cmp_one_s32, p);
}

void mf_compare_s64(const mf_compare_params *p, const int64_t *input1, const int64_t *input2,
                    uint8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_cmp_one_s64, p);
}

void mf_compare_b(const mf_compare_params *p, const uint8_t *input1, const uint8_t *input2,
                  uint8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_cmp_one_b, p);
}

static inline uint8_t mf_cmp_one_s8(const mf_compare_s8_params *p, int8_t a, int8_t b) {
    const int32_t shifted1 = ((int32_t)a + p->input1_offset) * (1 << p->left_shift);
    const int32_t shifted2 = ((int32_t)b + p->input2_offset) * (1 << p->left_shift);
    const int32_t x = mf_multiply_by_quantized_multiplier(shifted1, p->input1_multiplier,
                                                          p->input1_shift);
    const int32_t y = mf_multiply_by_quantized_multiplier(shifted2, p->input2_multiplier,
                                                          p->input2_shift);
    const mf_compare_params raw = {{{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}, p->op};
    return mf_cmp_one_s32(&raw, x, y);
}

void mf_compare_s8(const mf_compare_s8_params *p, const int8_t *input1, const int8_t *input2,
                   uint8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_cmp_one_s8, p);
}
