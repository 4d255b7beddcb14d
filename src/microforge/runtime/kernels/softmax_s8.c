/* microforge runtime: SOFTMAX int8, the fixed-point algorithm of TFLite's reference kernel
 * (exp on Q5.26 inputs, Q12 accumulation, Newton-Raphson reciprocal), bit-exact. */
#include "softmax_s8.h"
#include "gemmlowp_fixedpoint.h"

#define MF_SM_ONE_Q0 MF_GL_ONE_Q0

static int32_t mf_sm_mul(int32_t a, int32_t b) {
    return mf_sat_rounding_doubling_high_mul(a, b);
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor series around -1/8. */
static int32_t mf_sm_exp_quarter(int32_t a) {
    const int32_t exp_minus_one_eighth = 1895147668;
    const int32_t one_third = 715827883;
    const int32_t x = a + (1 << 28);
    const int32_t x2 = mf_sm_mul(x, x);
    const int32_t x3 = mf_sm_mul(x2, x);
    const int32_t x4 = mf_sm_mul(x2, x2);
    const int32_t x4_over_4 = mf_rounding_divide_by_pot(x4, 2);
    const int32_t poly = mf_rounding_divide_by_pot(mf_sm_mul(x4_over_4 + x3, one_third) + x2, 1);
    return exp_minus_one_eighth + mf_sm_mul(exp_minus_one_eighth, x + poly);
}

/* exp(a) for a <= 0 given in Q5.26; result in Q0.31. */
static int32_t mf_sm_exp_negative(int32_t a) {
    /* exp(-2^k) for k = -2..4, in Q0.31 */
    static const int32_t factors[7] = {1672461947, 1302514674, 790015084, 290630308,
                                       39332535, 720401, 242};
    const int32_t one_quarter = 1 << 24;
    const int32_t mod_minus_quarter = (a & (one_quarter - 1)) - one_quarter;
    const int32_t remainder = mod_minus_quarter - a;
    int32_t result = mf_sm_exp_quarter(mf_gl_sat_shift_left(mod_minus_quarter, 5));
    int k;
    for (k = 0; k < 7; ++k) {
        if (remainder & ((int32_t)1 << (24 + k))) {
            result = mf_sm_mul(result, factors[k]);
        }
    }
    return a == 0 ? MF_SM_ONE_Q0 : result;
}

void mf_softmax_s8(const mf_softmax_s8_params *p, const int8_t *input, int8_t *output) {
    int32_t r, c;
    for (r = 0; r < p->rows; ++r) {
        const int8_t *in = input + (size_t)r * (size_t)p->depth;
        int8_t *out = output + (size_t)r * (size_t)p->depth;
        int32_t max_in_row = -128;
        int32_t sum_of_exps = 0; /* Q12.19 */
        int headroom_plus_one, num_bits_over_unit, exponent;
        int32_t scale;
        for (c = 0; c < p->depth; ++c) {
            max_in_row = MF_MAX(max_in_row, (int32_t)in[c]);
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                const int32_t rescaled = mf_sm_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                sum_of_exps += mf_rounding_divide_by_pot(mf_sm_exp_negative(rescaled), 12);
            }
        }
        headroom_plus_one = mf_clz32((uint32_t)sum_of_exps);
        num_bits_over_unit = 12 - headroom_plus_one;
        scale = mf_gl_one_over_one_plus_x(
            (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31)));
        exponent = num_bits_over_unit + 31 - 8;
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                const int32_t rescaled = mf_sm_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t e = mf_sm_exp_negative(rescaled);
                const int32_t value = mf_rounding_divide_by_pot(mf_sm_mul(scale, e), exponent)
                                      - 128;
                out[c] = (int8_t)MF_CLAMP(value, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
