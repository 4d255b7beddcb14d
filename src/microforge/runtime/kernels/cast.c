/* microforge runtime: CAST (see cast.h). */
#include "cast.h"

/* integer -> narrower signed integer: two's-complement wrap, computed without relying on the
 * implementation-defined signed conversion */
static int8_t mf_wrap_s8(int32_t x) {
    const uint8_t u = (uint8_t)((uint32_t)x & 0xFFu);
    return u < 0x80u ? (int8_t)u : (int8_t)((int32_t)u - 256);
}

static int16_t mf_wrap_s16(int32_t x) {
    const uint16_t u = (uint16_t)((uint32_t)x & 0xFFFFu);
    return u < 0x8000u ? (int16_t)u : (int16_t)((int32_t)u - 65536);
}

/* uint32 -> int32: two's-complement wrap without the implementation-defined conversion */
static int32_t mf_u32_to_s32(uint32_t u) {
    return u < 0x80000000u ? (int32_t)u : (int32_t)(u - 0x80000000u) - INT32_MAX - 1;
}

/* float -> uint32: truncation toward zero; below 0 gives 0, from 2^32 up UINT32_MAX, NaN 0 */
static uint32_t mf_f32_to_u32(float x) {
    if (!(x > 0.0f)) {
        return 0u;
    }
    if (x >= 4294967296.0f) {
        return UINT32_MAX;
    }
    return (uint32_t)x;
}

/* float -> integer: truncation toward zero; outside [lo, hi] saturates, NaN -> 0 */
static int32_t mf_f32_to_int(float x, float lo, float hi, int32_t lo_i, int32_t hi_i) {
    if (x != x) {
        return 0;
    }
    if (x <= lo) {
        return lo_i;
    }
    if (x >= hi) {
        return hi_i;
    }
    return (int32_t)x;
}

#define MF_CAST_LOOP(NAME, TI, TO, EXPR)                          \
    void NAME(const TI *in, TO *out, int32_t count) {             \
        int32_t i;                                                \
        for (i = 0; i < count; ++i) {                             \
            const TI v = in[i];                                   \
            out[i] = (EXPR);                                      \
        }                                                         \
    }

#define MF_CAST_FROM_INT(FROM, TI)                                              \
    MF_CAST_LOOP(mf_cast_##FROM##_s8, TI, int8_t, mf_wrap_s8((int32_t)v))       \
    MF_CAST_LOOP(mf_cast_##FROM##_s16, TI, int16_t, mf_wrap_s16((int32_t)v))    \
    MF_CAST_LOOP(mf_cast_##FROM##_s32, TI, int32_t, (int32_t)v)                 \
    MF_CAST_LOOP(mf_cast_##FROM##_u32, TI, uint32_t, (uint32_t)v)               \
    MF_CAST_LOOP(mf_cast_##FROM##_f32, TI, float, (float)v)

MF_CAST_FROM_INT(s8, int8_t)
MF_CAST_FROM_INT(s16, int16_t)
MF_CAST_FROM_INT(s32, int32_t)

MF_CAST_LOOP(mf_cast_u32_s8, uint32_t, int8_t, mf_wrap_s8(mf_u32_to_s32(v)))
MF_CAST_LOOP(mf_cast_u32_s16, uint32_t, int16_t, mf_wrap_s16(mf_u32_to_s32(v)))
MF_CAST_LOOP(mf_cast_u32_s32, uint32_t, int32_t, mf_u32_to_s32(v))
MF_CAST_LOOP(mf_cast_u32_u32, uint32_t, uint32_t, v)
MF_CAST_LOOP(mf_cast_u32_f32, uint32_t, float, (float)v)

MF_CAST_LOOP(mf_cast_b_s8, uint8_t, int8_t, (int8_t)(v != 0u))
MF_CAST_LOOP(mf_cast_b_s16, uint8_t, int16_t, (int16_t)(v != 0u))
MF_CAST_LOOP(mf_cast_b_s32, uint8_t, int32_t, (int32_t)(v != 0u))
MF_CAST_LOOP(mf_cast_b_u32, uint8_t, uint32_t, (uint32_t)(v != 0u))
MF_CAST_LOOP(mf_cast_b_f32, uint8_t, float, (v != 0u) ? 1.0f : 0.0f)

/* the bounds are the first floats outside the target range (exact powers of two or the
 * integer just past it), so every float strictly between them truncates into range */
MF_CAST_LOOP(mf_cast_f32_s8, float, int8_t,
             (int8_t)mf_f32_to_int(v, -129.0f, 128.0f, -128, 127))
MF_CAST_LOOP(mf_cast_f32_s16, float, int16_t,
             (int16_t)mf_f32_to_int(v, -32769.0f, 32768.0f, -32768, 32767))
MF_CAST_LOOP(mf_cast_f32_s32, float, int32_t,
             mf_f32_to_int(v, -2147483904.0f, 2147483648.0f, INT32_MIN, INT32_MAX))
MF_CAST_LOOP(mf_cast_f32_u32, float, uint32_t, mf_f32_to_u32(v))
MF_CAST_LOOP(mf_cast_f32_f32, float, float, v)
