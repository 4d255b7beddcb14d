/* microforge runtime: integer helpers of TFLM's signal library (audio front end), header only.
 * Narrowing to int16_t relies on two's-complement wrapping, as GCC and Clang define it (and as
 * the TFLM builds these kernels are compared with do). */
#ifndef MF_SIGNAL_COMMON_H
#define MF_SIGNAL_COMMON_H

#include "mf_common.h"

/* Bits needed for x: 32 - leading zeros. For 0 it is 32, as TFLM's MostSignificantBit32 built
 * with GCC or Clang (32 - __builtin_clz, 32 for 0) gives; the FFT auto-scale depends on it. */
static inline uint32_t mf_signal_msb32(uint32_t x) {
    return x ? (uint32_t)(32 - mf_clz32(x)) : 32u;
}

/* Same for 64 bits (64 for 0). */
static inline uint32_t mf_signal_msb64(uint64_t x) {
    const uint32_t high = (uint32_t)(x >> 32);
    if (high) {
        return 64u - (uint32_t)mf_clz32(high);
    }
    return x ? 32u - (uint32_t)mf_clz32((uint32_t)x) : 64u;
}

/* Integer square root rounded to nearest (bit by bit), TFLM's Sqrt32. */
static inline uint16_t mf_signal_sqrt32(uint32_t num) {
    uint32_t res = 0u;
    uint32_t bit;
    int top;
    int iterations;
    if (num == 0u) {
        return 0u;
    }
    top = (int)(32u - mf_signal_msb32(num)) | 1;
    bit = 1u << (31 - top);
    iterations = (31 - top) / 2 + 1;
    while (iterations--) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1u) + bit;
        } else {
            res >>= 1u;
        }
        bit >>= 2u;
    }
    if (num > res && res != 0xFFFFu) {
        ++res;
    }
    return (uint16_t)res;
}

/* TFLM's Sqrt64: the 32-bit root when the high word is 0, else the same method in 64 bits. */
static inline uint32_t mf_signal_sqrt64(uint64_t num) {
    uint64_t res = 0u;
    uint64_t bit;
    int top;
    int iterations;
    if ((num >> 32) == 0u) {
        return mf_signal_sqrt32((uint32_t)num);
    }
    top = (int)(64u - mf_signal_msb64(num)) | 1;
    bit = (uint64_t)1u << (63 - top);
    iterations = (63 - top) / 2 + 1;
    while (iterations--) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1u) + bit;
        } else {
            res >>= 1u;
        }
        bit >>= 2u;
    }
    if (num > res && res != 0xFFFFFFFFu) {
        ++res;
    }
    return (uint32_t)res;
}

#endif /* MF_SIGNAL_COMMON_H */
