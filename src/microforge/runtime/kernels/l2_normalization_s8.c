/* microforge runtime: L2_NORMALIZATION int8 (see l2_normalization_s8.h). */
#include "l2_normalization_s8.h"

/* gemmlowp's SaturatingRoundingMultiplyByPOT for a positive exponent */
static int32_t mf_l2_shl_sat(int32_t x, int exponent) {
    const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

/* TFLite's GetInvSqrtQuantizedMultiplierExp with reverse_shift -1 */
static void mf_l2_inv_sqrt(int32_t input, int32_t *multiplier, int *shift) {
    int32_t x, half_input, i;
    int pairs;
    if (input <= 1) {
        *multiplier = INT32_MAX;
        *shift = 0;
        return;
    }
    *shift = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        ++*shift;
    }
    pairs = (mf_clz32((uint32_t)input) - 1) / 2 - 1;
    *shift -= pairs;
    input = (int32_t)((uint32_t)input << (2 * pairs));
    half_input = mf_rounding_divide_by_pot(input >> 1, 1); /* F3 input / 2 */
    x = 1 << 28;                                           /* F3 one */
    for (i = 0; i < 5; ++i) {
        const int32_t x3 = mf_l2_shl_sat(mf_sat_rounding_doubling_high_mul(
            mf_sat_rounding_doubling_high_mul(x, x), x), 6);
        const int32_t a = mf_sat_rounding_doubling_high_mul((1 << 28) + (1 << 27), x);
        const int32_t b = mf_sat_rounding_doubling_high_mul(half_input, x3);
        x = mf_l2_shl_sat((int32_t)((uint32_t)a - (uint32_t)b), 3);
    }
    x = mf_sat_rounding_doubling_high_mul(x, 1518500250); /* x sqrt(2) / 2 */
    if (*shift < 0) {
        x = (int32_t)((uint32_t)x << -*shift);
        *shift = 0;
    }
    *multiplier = x;
    *shift = -*shift;
}

void mf_l2_normalization_s8(int32_t outer, int32_t depth, int32_t input_zero_point,
                            const int8_t *input, int8_t *output) {
    int32_t o, i;
    for (o = 0; o < outer; ++o) {
        const int8_t *row = input + o * depth;
        int8_t *out = output + o * depth;
        int32_t acc = 0, multiplier;
        int shift;
        for (i = 0; i < depth; ++i) {
            const int32_t v = (int32_t)row[i] - input_zero_point;
            acc += v * v;
        }
        mf_l2_inv_sqrt(acc, &multiplier, &shift);
        for (i = 0; i < depth; ++i) {
            const int32_t v = mf_multiply_by_quantized_multiplier(
                (int32_t)row[i] - input_zero_point, multiplier, shift + 7);
            out[i] = (int8_t)MF_CLAMP(v, -128, 127);
        }
    }
}
