/* microforge runtime: shared fixed-point helpers, identical in result to TFLite's reference
 * integer arithmetic (gemmlowp rounding). Every int8 kernel includes this header. */
#ifndef MF_COMMON_H
#define MF_COMMON_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#define MF_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MF_MAX(a, b) ((a) > (b) ? (a) : (b))
#define MF_CLAMP(x, lo, hi) MF_MIN(MF_MAX((x), (lo)), (hi))

/* The filter taps of a convolution window that land inside the input: of `taps` taps spaced
 * `dilation` apart from `origin` (possibly negative), [*first, *last) fall inside [0, size).
 * Shared by the CONV_2D / DEPTHWISE_CONV_2D kernels of every dtype. */
static inline void mf_filter_window(int32_t origin, int32_t taps, int32_t dilation, int32_t size,
                                    int32_t *first, int32_t *last) {
    int32_t lo = 0, hi = taps;
    if (origin < 0) {
        lo = (-origin + dilation - 1) / dilation;
    }
    if (origin + (taps - 1) * dilation >= size) {
        hi = size - 1 - origin < 0 ? 0 : (size - 1 - origin) / dilation + 1;
    }
    *first = lo;
    *last = hi > lo ? hi : lo;
}

/* A float kernel's output: the sum plus bias[c] (none when bias is NULL), clamped to
 * [act_min, act_max] (the fused activation), in TFLite's reference order. */
static inline float mf_bias_clamp_f32(float total, const float *bias, int32_t c, float act_min,
                                      float act_max) {
    float value = total + (bias != NULL ? bias[c] : 0.0f);
    value = value < act_min ? act_min : value;
    return value > act_max ? act_max : value;
}

/* The parameters of a conv-like kernel (CONV_2D / DEPTHWISE_CONV_2D structs: batches, in_h,
 * out_h, stride_h, pad_h) narrowed to output rows [oy, oy + rows) of one batch whose input
 * pointer starts at input row `first` (first <= the first row they read): `view` = *p with
 * out_h = rows and the top padding and height those rows see. The same taps in the same order
 * as the whole run: the base of the per-row entry points (mf_<op>_rows) that fusions call. */
#define MF_CONV_ROWS_VIEW(view, p, first, oy, rows)                               \
    do {                                                                          \
        (view) = *(p);                                                            \
        (view).batches = 1;                                                       \
        (view).out_h = (rows);                                                    \
        (view).pad_h = (first) - ((oy) * (p)->stride_h - (p)->pad_h);             \
        (view).in_h = (p)->in_h - (first);                                        \
    } while (0)

/* (a * b * 2) >> 32, rounded to nearest, saturating the single overflow case. */
static inline int32_t mf_sat_rounding_doubling_high_mul(int32_t a, int32_t b) {
    int64_t ab;
    int32_t nudge;
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero. */
static inline int32_t mf_rounding_divide_by_pot(int32_t x, int exponent) {
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* Leading zero bits of x (32 for 0), TFLite's CountLeadingZeros. */
static inline int mf_clz32(uint32_t x) {
    int n = 0;
    if (x == 0u) {
        return 32;
    }
    while ((x & 0x80000000u) == 0u) {
        x <<= 1;
        ++n;
    }
    return n;
}

/* a + b in two's complement, wrapping instead of overflowing: the offset added after a
 * requantization. TFLite's plain int32 add gives the same value wherever it is defined. */
static inline int32_t mf_add_wrap(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* x * multiplier * 2^(shift - 31): TFLite's MultiplyByQuantizedMultiplier. */
static inline int32_t mf_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    /* the left shift is done in unsigned arithmetic: same bits, no signed-overflow UB */
    const int32_t shifted = (int32_t)((uint32_t)x << left);
    return mf_rounding_divide_by_pot(mf_sat_rounding_doubling_high_mul(shifted, multiplier), right);
}

/* Rows of a convolution-like op, optionally computed in place (the output overwrites the
 * input). `row_fn(ctx, oy, dst)` computes output row oy into dst. Without a ring the rows go
 * straight to `out`. With a ring (scratch of pad_h + 1 rows) each row is computed into the
 * ring and copied over the input row it replaces once output row r + pad_h, the last reader
 * of input row r, is done. The ring never overlaps `out`, so memcpy is safe. */
typedef void (*mf_row_fn)(const void *ctx, int32_t oy, void *dst);

static inline void mf_rows_through_ring(mf_row_fn row_fn, const void *ctx, int32_t out_h,
                                        int32_t pad_h, size_t row_bytes, void *out,
                                        void *ring) {
    uint8_t *o = (uint8_t *)out;
    uint8_t *rows = (uint8_t *)ring;
    const int32_t n = pad_h + 1;
    int32_t oy, r;
    if (rows == NULL) {
        for (oy = 0; oy < out_h; ++oy) {
            row_fn(ctx, oy, o + (size_t)oy * row_bytes);
        }
        return;
    }
    for (oy = 0; oy < out_h; ++oy) {
        row_fn(ctx, oy, rows + (size_t)(oy % n) * row_bytes);
        r = oy - pad_h;
        if (r >= 0) {
            memcpy(o + (size_t)r * row_bytes, rows + (size_t)(r % n) * row_bytes, row_bytes);
        }
    }
    for (r = MF_MAX(0, out_h - pad_h); r < out_h; ++r) {
        memcpy(o + (size_t)r * row_bytes, rows + (size_t)(r % n) * row_bytes, row_bytes);
    }
}

#endif /* MF_COMMON_H */
