/* microforge runtime: DIV int8 (see div_s8.h). */
#include "div_s8.h"

/* TFLite's CountLeadingSignBits for int32 */
static int mf_div_sign_bits(int32_t x) {
    if (x >= 0) {
        return mf_clz32((uint32_t)x) - 1;
    }
    if (x == INT32_MIN) {
        return 0;
    }
    return mf_clz32(2u * (uint32_t)(-x) - 1u);
}

static inline int8_t mf_div_one_s8(const mf_div_s8_params *p, int8_t a, int8_t b) {
    int32_t n = (int32_t)a + p->input1_offset;
    int32_t d = (int32_t)b + p->input2_offset;
    int32_t raw;
    if (d == 0) {
        raw = p->output_offset;
    } else {
        int headroom, total_shift;
        int32_t unscaled;
        if (d < 0) {
            n = -n;
            d = -d;
        }
        headroom = mf_div_sign_bits(n);
        unscaled = mf_multiply_by_quantized_multiplier(n, p->reciprocal[d], headroom);
        total_shift = (int)p->output_shift - p->reciprocal_shift[d] - headroom;
        raw = p->output_offset + mf_rounding_divide_by_pot(
            mf_sat_rounding_doubling_high_mul(unscaled, p->output_multiplier), -total_shift);
    }
    return (int8_t)MF_CLAMP(raw, p->act_min, p->act_max);
}

void mf_div_s8(const mf_div_s8_params *p, const int8_t *input1, const int8_t *input2,
               int8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_div_one_s8, p);
}
