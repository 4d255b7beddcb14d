/* microforge runtime: CAST, element by element as C++'s static_cast in TFLM's Cast:
 * integers narrowed modulo 2^bits, float -> integer truncated toward zero, bool read as 0/1.
 * A float outside the target's range (undefined behaviour in C and in TFLM) saturates, NaN -> 0.
 * One function per (from, to) pair: mf_cast_<from>_<to>(in, out, count). */
#ifndef MF_CAST_H
#define MF_CAST_H

#include "mf_common.h"

#define MF_CAST_DECLARE(FROM, TI)                                              \
    void mf_cast_##FROM##_s8(const TI *in, int8_t *out, int32_t count);       \
    void mf_cast_##FROM##_s16(const TI *in, int16_t *out, int32_t count);     \
    void mf_cast_##FROM##_s32(const TI *in, int32_t *out, int32_t count);     \
    void mf_cast_##FROM##_u32(const TI *in, uint32_t *out, int32_t count);    \
    void mf_cast_##FROM##_f32(const TI *in, float *out, int32_t count);

MF_CAST_DECLARE(s8, int8_t)
MF_CAST_DECLARE(s16, int16_t)
MF_CAST_DECLARE(s32, int32_t)
MF_CAST_DECLARE(u32, uint32_t)
MF_CAST_DECLARE(f32, float)
MF_CAST_DECLARE(b, uint8_t) /* bool tensors are one byte, 0 or 1 */

#undef MF_CAST_DECLARE

#endif /* MF_CAST_H */
