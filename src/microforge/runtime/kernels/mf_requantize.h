/* microforge runtime: a branch-light form of TFLite's MultiplyByQuantizedMultiplier with the
 * same result as mf_multiply_by_quantized_multiplier (mf_common.h) for every input:
 * SaturatingRoundingDoublingHighMul(a, b) equals (a * b + 2^30) >> 31 (floor) for both signs,
 * except a == b == INT32_MIN, which saturates. Tested against mf_common.h. */
#ifndef MF_REQUANTIZE_H
#define MF_REQUANTIZE_H

#include "mf_common.h"

/* MF_REQUANTIZE_FOLDED: fold the rounding shift into the 64-bit product (below) where 64-bit
 * multiply-accumulate and add-with-carry are single instructions (cores with the DSP
 * extension); elsewhere (Armv6-M, RISC-V, the host) the remainder/threshold form is cheaper.
 * Both give the same result for every input (tests/ops/test_mf_requantize.py builds both). */
#ifndef MF_REQUANTIZE_FOLDED
#if defined(__ARM_FEATURE_DSP)
#define MF_REQUANTIZE_FOLDED 1
#else
#define MF_REQUANTIZE_FOLDED 0
#endif
#endif

/* The rounding right shift by e >= 1 folded into the 64-bit product: with R = a * m + 2^30,
 * SaturatingRoundingDoublingHighMul is H = R >> 31, and RoundingDivideByPOT(H, e) (round half
 * away from zero) is floor((H + 2^(e-1) - [H < 0]) / 2^e) = (R + 2^(30+e) - [R < 0] 2^31) >> (31+e):
 * one 64-bit add of a constant and the high word shifted by e - 1, no remainder or threshold. */
static inline int32_t mf_round_shift_product(int64_t r, int e) {
    const uint32_t lo = (uint32_t)r;
    const uint32_t neg = (uint32_t)((uint64_t)r >> 63);
    const uint32_t k_lo = (e == 1 ? neg ^ 1u : neg) << 31;
    const uint32_t k_hi = e == 1 ? 0u : (1u << (e - 2)) - neg;
    const uint32_t sum_lo = lo + k_lo;
    const uint32_t hi = (uint32_t)((uint64_t)r >> 32) + k_hi + (sum_lo < lo ? 1u : 0u);
    return (int32_t)hi >> (e - 1);
}

static inline int32_t mf_requantize(int32_t x, int32_t multiplier, int shift) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    const int32_t a = (int32_t)((uint32_t)x << left);
    int64_t ab;
    int32_t high, mask, remainder, threshold;
    if (a == INT32_MIN && multiplier == INT32_MIN) {
        high = INT32_MAX;
    } else {
        /* arithmetic right shift (floor), as gcc and clang implement >> on signed values */
        ab = (int64_t)a * (int64_t)multiplier + ((int64_t)1 << 30);
#if MF_REQUANTIZE_FOLDED
        if (right > 0) {
            return mf_round_shift_product(ab, right);
        }
        return (int32_t)(ab >> 31);
#else
        high = (int32_t)(ab >> 31);
#endif
    }
    mask = (int32_t)(((int64_t)1 << right) - 1);
    remainder = high & mask;
    threshold = (mask >> 1) + (high < 0 ? 1 : 0);
    return (high >> right) + (remainder > threshold ? 1 : 0);
}

#endif /* MF_REQUANTIZE_H */
