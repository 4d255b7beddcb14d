/* microforge runtime: TFLite's MultiplyByQuantizedMultiplier for an int64 accumulator (the
 * int16-activation kernels with int64 biases: FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D).
 * TFLite reduces the Q31 multiplier to Q15 (rounded; 0x7FFF from 0x7FFF0000 up) and does one
 * rounding shift by 15 - shift, then keeps the low 32 bits. Valid for shift < 8 and
 * |x| < 2^47 (TFLite's assumptions; the op modules check both at compile time). */
#ifndef MF_REQUANTIZE64_H
#define MF_REQUANTIZE64_H

#include "mf_common.h"

static inline int32_t mf_multiply_by_quantized_multiplier_s64(int64_t x, int32_t multiplier,
                                                              int shift) {
    const int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    const int total = 15 - shift;
    /* arithmetic right shift (floor), as gcc and clang implement >> on signed values */
    const int64_t r = x * (int64_t)reduced + ((int64_t)1 << (total - 1));
    return (int32_t)(uint32_t)(uint64_t)(r >> total);
}

#endif /* MF_REQUANTIZE64_H */
