/* microforge runtime: gemmlowp / TFLite fixed-point helpers shared by the int8 SOFTMAX and
 * LOG_SOFTMAX kernels (header only). Raw int32 values; a FixedPoint<int32, I> multiply is
 * mf_sat_rounding_doubling_high_mul (mf_common.h), + and - wrap as TFLite's int32 raw ops. */
#ifndef MF_GEMMLOWP_FIXEDPOINT_H
#define MF_GEMMLOWP_FIXEDPOINT_H

#include "mf_common.h"

#define MF_GL_ONE_Q0 INT32_MAX

static inline int32_t mf_gl_mul(int32_t a, int32_t b) {
    return mf_sat_rounding_doubling_high_mul(a, b);
}

static inline int32_t mf_gl_sub_wrap(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* x * 2^exponent (exponent >= 0) saturating to int32 (SaturatingRoundingMultiplyByPOT). */
static inline int32_t mf_gl_sat_shift_left(int32_t x, int exponent) {
    int32_t threshold;
    if (exponent == 0) {
        return x;
    }
    threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

static inline int32_t mf_gl_saturate64(int64_t x) {
    return x > INT32_MAX ? INT32_MAX : (x < INT32_MIN ? INT32_MIN : (int32_t)x);
}

/* gemmlowp RoundingHalfSum for int32. */
static inline int32_t mf_gl_rounding_half_sum(int32_t a, int32_t b) {
    const int64_t sum = (int64_t)a + (int64_t)b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* 1 / (1 + x) for x in [0, 1), Q0.31 in and out (three Newton-Raphson steps in Q2.29). */
static inline int32_t mf_gl_one_over_one_plus_x(int32_t a) {
    const int32_t half_denominator = mf_gl_rounding_half_sum(a, MF_GL_ONE_Q0);
    const int32_t one_q2 = 1 << 29;
    int32_t x = 1515870810 + mf_gl_mul(half_denominator, -1010580540);
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t one_minus = one_q2 - mf_gl_mul(half_denominator, x);
        x = x + mf_gl_sat_shift_left(mf_gl_mul(x, one_minus), 2);
    }
    return mf_gl_sat_shift_left(x, 1);
}

/* TFLite's log_x_for_x_greater_than_or_equal_to_1_impl<output_bits, input_bits>: ln(x) of a
 * Q(input_bits) value x >= 1, as a Q(output_bits) value. */
static inline int32_t mf_gl_log_x_ge_1(int32_t input, int input_bits, int output_bits) {
    const int accum_bits = output_bits + 1;
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t one_quarter = 536870912;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769,
                  alpha_f = 638450708;
    const int32_t shifted_quarter = mf_rounding_divide_by_pot(one_quarter, accum_bits);
    const int z_a_headroom_plus_1 = mf_clz32((uint32_t)input);
    const int32_t r_a_tmp = mf_gl_sat_shift_left(input, z_a_headroom_plus_1 - 1);
    const int32_t r_a_raw = mf_gl_sat_shift_left(mf_gl_mul(r_a_tmp, sqrt_half), 1);
    const int32_t z_a_pow_2_adj = mf_gl_saturate64(
        (int64_t)mf_gl_sat_shift_left(input_bits - z_a_headroom_plus_1, 31 - accum_bits)
        + shifted_quarter);
    const int32_t z_b = mf_gl_mul(input, sqrt_half);
    const int z_b_headroom = mf_clz32((uint32_t)z_b) - 1;
    const int32_t r_b_raw = mf_gl_sat_shift_left(input, z_b_headroom);
    const int32_t z_b_pow_2_adj = mf_gl_saturate64(
        (int64_t)mf_gl_sat_shift_left(input_bits - z_b_headroom, 31 - accum_bits)
        - shifted_quarter);
    const int32_t r = MF_MIN(r_a_raw, r_b_raw);
    const int32_t z_pow_2_adj = MF_MAX(z_a_pow_2_adj, z_b_pow_2_adj);
    const int32_t p = mf_gl_rounding_half_sum(r, sqrt_sqrt_half);
    const int32_t q0 = mf_gl_sub_wrap(r, sqrt_sqrt_half);
    const int32_t q = mf_add_wrap(q0, q0);
    const int32_t common_sq = mf_gl_mul(q, q);
    const int32_t num = mf_add_wrap(mf_gl_mul(q, r), mf_gl_mul(mf_gl_mul(q, common_sq), alpha_n));
    const int32_t denom_minus_one_0 = mf_add_wrap(
        mf_gl_mul(p, mf_add_wrap(mf_add_wrap(alpha_i, q), mf_gl_mul(alpha_d, common_sq))),
        mf_gl_mul(alpha_f, q));
    const int32_t recip_denom = mf_gl_one_over_one_plus_x(denom_minus_one_0);
    const int32_t num_scaled = mf_rounding_divide_by_pot(num, accum_bits);
    const int32_t result = mf_add_wrap(mf_gl_mul(z_pow_2_adj, log_2),
                                       mf_gl_mul(num_scaled, recip_denom));
    return mf_gl_sat_shift_left(result, accum_bits - output_bits);
}

#endif /* MF_GEMMLOWP_FIXEDPOINT_H */
