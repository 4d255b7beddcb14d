/* microforge runtime: the Armv7E-M / Armv8-M DSP extension (SIMD32: SXTB16, SMLAD) through the
 * ACLE intrinsics of arm_acle.h, when the compiler targets a core that has it (-mcpu=cortex-m4,
 * -m7, -m33 with DSP); MF_SIMD32 is 0 elsewhere (host, Cortex-M0+/M3, RISC-V) and kernels use
 * their portable loops. The core is chosen by the board profile (its -mcpu flags), so the
 * variant follows the board's data, not a code branch in the generator. A size-optimised
 * build (-Os, __OPTIMIZE_SIZE__) keeps the smaller portable loops: the SIMD paths come beside
 * them and cost about 2.5 KB of code. */
#ifndef MF_SIMD32_H
#define MF_SIMD32_H

#include "mf_common.h"

/* MF_DSP_AVAILABLE: the compiler targets a core with the DSP extension; the optimized kernel
 * variants (<kernel>_dsp.c, chosen by codegen/variants.py) need it whatever the optimisation
 * level. MF_SIMD32: the portable kernels' own inline SIMD paths, left out at -Os. */
#if defined(__ARM_FEATURE_SIMD32) && defined(__ARM_FEATURE_DSP)
#define MF_DSP_AVAILABLE 1
#else
#define MF_DSP_AVAILABLE 0
#endif

#if MF_DSP_AVAILABLE && !defined(__OPTIMIZE_SIZE__)
#define MF_SIMD32 1
#else
#define MF_SIMD32 0
#endif

#if MF_DSP_AVAILABLE
#include <arm_acle.h>

/* Four int8 values as one word; unaligned word loads are allowed on these cores. */
static inline uint32_t mf_load_u32(const int8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Bytes 1 and 3 sign-extended to an int16 pair: SXTB16 with its ROR #8 operand (one instruction;
 * GCC does not fold a rotate into the intrinsic). */
static inline int16x2_t mf_sxtb16_odd(uint32_t v) {
    int16x2_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

/* Bytes 1 and 3 of v sign-extended and added to the int16 pair a: SXTAB16 with ROR #8. */
static inline int16x2_t mf_sxtab16_odd(int16x2_t a, uint32_t v) {
    int16x2_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
    return r;
}

/* acc + the dot product of four inputs, given as their even and odd bytes widened to int16
 * pairs (xe, xo), with the four int8 weights at w: one word load, two SXTB16, two SMLAD. */
static inline int32_t mf_smlad4(int16x2_t xe, int16x2_t xo, const int8_t *w, int32_t acc) {
    const uint32_t v = mf_load_u32(w);
    return __smlad(xo, mf_sxtb16_odd(v), __smlad(xe, __sxtb16((int8x4_t)v), acc));
}
#endif /* MF_DSP_AVAILABLE */

#endif /* MF_SIMD32_H */
