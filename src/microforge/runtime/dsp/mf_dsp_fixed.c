/* microforge DSP: fixed-point front end (see mf_dsp_fixed.h). */
#include "mf_dsp_fixed.h"

#include <math.h>
#include <string.h>

#if defined(__ARM_ARCH_6M__) || defined(MF_DSP_MUL32)
/* Armv6-M (Cortex-M0/M0+) has no 32x32->64 multiply: a library call per product. Here the
 * q31 product from 16-bit halves with 32-bit multiplies only, within 3 LSB of the exact one
 * (the low x low term and the cross terms' fractions are truncated); needs |a| or |b| < 2^30.5
 * so that 2 * ah * bh fits. */
static int32_t mul_q31(int32_t a, int32_t b) {
    const int32_t ah = a >> 16, bh = b >> 16;
    const int32_t al = (int32_t)(a & 0xFFFF), bl = (int32_t)(b & 0xFFFF);
    return 2 * ah * bh + ((ah * bl) >> 15) + ((al * bh) >> 15)
           + (int32_t)(((uint32_t)al * (uint32_t)bl) >> 31);
}
#define MF_MUL2_Q31(a, wa, b, wb, sign) (mul_q31((a), (wa)) + (sign) * mul_q31((b), (wb)))
#else
/* (a * b) / 2^31 rounded to nearest (q31 product); no overflow for |a|, |b| <= 2^31 - 1 */
static int32_t mul_q31(int32_t a, int32_t b) {
    return (int32_t)(((int64_t)a * b + ((int64_t)1 << 30)) >> 31);
}
/* (a * wa + sign * b * wb) / 2^31 with one rounding */
#define MF_MUL2_Q31(a, wa, b, wb, sign)                                                   \
    ((int32_t)((((int64_t)(a) * (wa)) + (sign) * ((int64_t)(b) * (wb)) + ((int64_t)1 << 30)) \
               >> 31))
#endif

/* floor((a + b) / 2) without 64-bit work */
static int32_t half_sum(int32_t a, int32_t b) {
    return (a >> 1) + (b >> 1) + (a & b & 1);
}

static uint32_t float_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof(u));
    return u;
}

#if (defined(__arm__) && !defined(__ARM_FP)) || (defined(__riscv) && !defined(__riscv_flen)) \
    || defined(MF_DSP_MUL32)
/* No FPU: x * 2^(30 - e) truncated toward zero from the IEEE-754 bits, integer work only (the
 * same value as the float product below: scaling by a power of two is exact); |x| < 2^e. */
static int32_t to_q30(float x, int e, float scale) {
    const uint32_t u = float_bits(x);
    const int32_t biased = (int32_t)((u >> 23) & 0xFF);
    const uint32_t mantissa = biased ? (u & 0x7FFFFFu) | 0x800000u : u & 0x7FFFFFu;
    const int32_t shift = (biased ? biased : 1) - 120 - e; /* |x| = mantissa * 2^(E - 150) */
    uint32_t q;
    (void)scale;
    if (shift >= 0) {
        q = mantissa << shift; /* < 2^30 because |x| < 2^e */
    } else {
        q = shift > -32 ? mantissa >> -shift : 0;
    }
    return (u >> 31) ? -(int32_t)q : (int32_t)q;
}
#else
static int32_t to_q30(float x, int e, float scale) {
    (void)e;
    return (int32_t)(x * scale); /* scale = 2^(30 - e): exact product, truncated toward zero */
}
#endif

int mf_frame_q31(const float *x, uint32_t stride, const int32_t *window, uint32_t length,
                 uint32_t fft_length, int32_t *frame) {
    uint32_t peak = 0, i;
    int e = 0;
    for (i = 0; i < length; ++i) {
        const uint32_t a = float_bits(x[i * stride]) & 0x7FFFFFFFu; /* |x| orders like this */
        if (a > peak) {
            peak = a;
        }
    }
    if (peak != 0) {
        /* peak < 2^e: e = biased exponent - 126 (normal), -126 for subnormals */
        e = (peak >> 23) ? (int)(peak >> 23) - 126 : -126;
        e = e < -90 ? -90 : e; /* tinier samples give 0 */
    }
    {
        const float scale = ldexpf(1.0f, 30 - e);
        for (i = 0; i < length; ++i) {
            frame[i] = mul_q31(to_q30(x[i * stride], e, scale), window[i]);
        }
    }
    for (; i < fft_length; ++i) {
        frame[i] = 0;
    }
    return e;
}

static void bit_reverse_q31(int32_t *z, uint32_t m) {
    uint32_t i, j = 0, bit;
    for (i = 1; i < m; ++i) {
        bit = m >> 1;
        while (j & bit) {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if (i < j) {
            const int32_t re = z[2 * i], im = z[2 * i + 1];
            z[2 * i] = z[2 * j];
            z[2 * i + 1] = z[2 * j + 1];
            z[2 * j] = re;
            z[2 * j + 1] = im;
        }
    }
}

int mf_rfft_q31(int32_t *buf, uint32_t n, const int32_t *twiddle) {
    const uint32_t m = n >> 1;
    uint32_t len, start, j, k;
    int shift = 1;
    int32_t z0r, z0i;
    bit_reverse_q31(buf, m);
    for (len = 2; len <= m; len <<= 1) {
        const uint32_t half = len >> 1;
        const uint32_t step = n / len;
        for (start = 0; start < m; start += len) {
            for (j = 0; j < half; ++j) {
                const int32_t wr = twiddle[2 * j * step], wi = twiddle[2 * j * step + 1];
                int32_t *a = buf + 2 * (start + j);
                int32_t *b = a + 2 * half;
                /* |b| <= 2^30.5, so each product component stays inside int32 */
                const int32_t tr = MF_MUL2_Q31(b[0], wr, b[1], wi, -1);
                const int32_t ti = MF_MUL2_Q31(b[0], wi, b[1], wr, 1);
                const int32_t ar = a[0], ai = a[1];
                a[0] = half_sum(ar, tr);
                a[1] = half_sum(ai, ti);
                b[0] = half_sum(ar, -tr);
                b[1] = half_sum(ai, -ti);
            }
        }
        ++shift;
    }
    /* split step, halved: X[k] / 2 = E / 2 + W^k O / 2 */
    z0r = buf[0];
    z0i = buf[1];
    buf[0] = half_sum(z0r, z0i);
    buf[1] = half_sum(z0r, -z0i);
    for (k = 1; k < m - k; ++k) {
        int32_t *a = buf + 2 * k;
        int32_t *b = buf + 2 * (m - k);
        const int32_t er = half_sum(a[0], b[0]) / 2, ei = half_sum(a[1], -b[1]) / 2;
        const int32_t or_ = half_sum(a[1], b[1]) / 2, oi = half_sum(b[0], -a[0]) / 2;
        const int32_t wr = twiddle[2 * k], wi = twiddle[2 * k + 1];
        const int32_t pr = MF_MUL2_Q31(or_, wr, oi, wi, -1);
        const int32_t pi = MF_MUL2_Q31(oi, wr, or_, wi, 1);
        a[0] = er + pr;
        a[1] = ei + pi;
        b[0] = er - pr;
        b[1] = pi - ei;
    }
    if (m > 1) {
        int32_t *c = buf + 2 * (m >> 1);
        c[0] = c[0] / 2;
        c[1] = -(c[1] / 2);
    }
    return shift;
}

static uint32_t isqrt32(uint32_t v) {
    uint32_t result = 0, bit = (uint32_t)1 << 30;
    while (bit > v) {
        bit >>= 2;
    }
    while (bit != 0) {
        if (v >= result + bit) {
            v -= result + bit;
            result = (result >> 1) + bit;
        } else {
            result >>= 1;
        }
        bit >>= 2;
    }
    return result;
}

uint32_t mf_sqrt_u64(uint64_t v) {
    /* 32-bit work only (cheap on Armv6-M/v7-M): shift by an even 2k until v fits in 32 bits */
    const uint32_t hi = (uint32_t)(v >> 32);
    uint32_t k = 0;
    if (hi == 0) {
        return isqrt32((uint32_t)v);
    }
    while (k < 16 && (hi >> (2 * k)) != 0) {
        ++k;
    }
    return isqrt32((uint32_t)(v >> (2 * k))) << k;
}

static uint64_t bin_energy(const int32_t *packed, uint32_t n, uint32_t k) {
    int64_t re, im;
    if (k == 0 || k == n / 2) {
        re = packed[k == 0 ? 0 : 1];
        im = 0;
    } else {
        re = packed[2 * k];
        im = packed[2 * k + 1];
    }
    return (uint64_t)(re * re) + (uint64_t)(im * im);
}

/* |X[k]| for the bins the filters use, written over the packed FFT output at slot k: in
 * ascending k, slot k only holds data of bins < k (already read) or the Nyquist value (read
 * first). */
static void magnitudes_in_place(int32_t *packed, uint32_t n, uint32_t n_filters,
                                const uint16_t *start, const uint16_t *len) {
    uint32_t *bins = (uint32_t *)packed;
    const uint64_t nyquist = bin_energy(packed, n, n / 2);
    uint32_t f, k, lo = n, hi = 0;
    for (f = 0; f < n_filters; ++f) {
        if (len[f] > 0) {
            lo = start[f] < lo ? start[f] : lo;
            hi = (uint32_t)start[f] + len[f] > hi ? (uint32_t)start[f] + len[f] : hi;
        }
    }
    for (k = lo; k < hi; ++k) {
        bins[k] = mf_sqrt_u64(k == n / 2 ? nyquist : bin_energy(packed, n, k));
    }
}

int mf_filterbank_q31(int32_t *packed, uint32_t n, int power, uint32_t n_filters,
                      const uint16_t *start, const uint16_t *len, const int16_t *weights,
                      uint64_t *acc) {
    uint32_t f, j, k;
    int shift = 0;
    if (power) {
        /* drop just enough low bits that 1024 terms of energy * q15 weight fit in 64 bits */
        uint64_t peak = 0;
        for (k = 0; k <= n / 2; ++k) {
            const uint64_t e = bin_energy(packed, n, k);
            peak = e > peak ? e : peak;
        }
        while ((peak >> shift) >= ((uint64_t)1 << 39)) {
            ++shift;
        }
        for (f = 0; f < n_filters; ++f) {
            uint64_t sum = 0;
            for (j = 0; j < len[f]; ++j) {
                sum += (bin_energy(packed, n, start[f] + j) >> shift) * (uint32_t)weights[j];
            }
            weights += len[f];
            acc[f] = sum;
        }
        return shift;
    }
    magnitudes_in_place(packed, n, n_filters, start, len);
    for (f = 0; f < n_filters; ++f) {
        const uint32_t *b = (const uint32_t *)packed + start[f];
        uint64_t sum = 0;
        for (j = 0; j < len[f]; ++j) {
            sum += (uint64_t)b[j] * (uint32_t)weights[j];
        }
        weights += len[f];
        acc[f] = sum;
    }
    return 0;
}

void mf_filterbank_to_f32(const uint64_t *acc, uint32_t n_filters, int power, int exponent,
                          int shift, int power_shift, float divisor, float *out) {
    /* |X| = q * 2^(shift + exponent - 30); weights are q15 */
    const int scale = shift + exponent - 30;
    const int total = power ? power_shift - 15 + 2 * scale : scale - 15;
    const float gain = 1.0f / (power ? divisor * divisor : divisor);
    uint32_t f;
    for (f = 0; f < n_filters; ++f) {
        out[f] = ldexpf((float)acc[f], total) * gain;
    }
}

void mf_welch_squared_q31(const float *x, uint32_t n, uint32_t fft_length,
                          const int32_t *window, const int32_t *twiddle, int32_t *frame,
                          float *squared) {
    const uint32_t length = n < fft_length ? n : fft_length;
    const uint32_t step = fft_length / 2 > 0 ? fft_length / 2 : 1;
    const uint32_t n_frames = n > fft_length ? 1 + (n - fft_length) / step : 1;
    const uint32_t n_bins = fft_length / 2 + 1;
    uint32_t f, k;
    for (k = 0; k < n_bins; ++k) {
        squared[k] = 0.0f;
    }
    for (f = 0; f < n_frames; ++f) {
        const int e = mf_frame_q31(x + f * step, 1, window, length, fft_length, frame);
        const int s = mf_rfft_q31(frame, fft_length, twiddle);
        for (k = 0; k < n_bins; ++k) {
            squared[k] += ldexpf((float)bin_energy(frame, fft_length, k), 2 * (s + e - 30));
        }
    }
    if (n_frames > 1) {
        for (k = 0; k < n_bins; ++k) {
            squared[k] /= (float)n_frames;
        }
    }
}

/* log2(1 + i / 128) in q24, i = 0..128 (a constant of the algorithm, not of a fitted block) */
static const int32_t log2_table_q24[129] = {
    0, 188362, 375270, 560745, 744810, 927485, 1108793, 1288752,
    1467383, 1644705, 1820738, 1995500, 2169009, 2341283, 2512340, 2682196,
    2850868, 3018374, 3184728, 3349946, 3514044, 3677038, 3838941, 3999768,
    4159533, 4318251, 4475935, 4632599, 4788255, 4942916, 5096595, 5249305,
    5401057, 5551864, 5701737, 5850688, 5998727, 6145867, 6292118, 6437490,
    6581994, 6725641, 6868440, 7010402, 7151536, 7291852, 7431359, 7570066,
    7707984, 7845119, 7981483, 8117082, 8251926, 8386022, 8519380, 8652008,
    8783912, 8915102, 9045584, 9175366, 9304457, 9432863, 9560591, 9687648,
    9814042, 9939780, 10064867, 10189312, 10313120, 10436298, 10558852, 10680789,
    10802114, 10922835, 11042956, 11162484, 11281425, 11399784, 11517568, 11634780,
    11751428, 11867517, 11983051, 12098037, 12212479, 12326382, 12439752, 12552593,
    12664911, 12776710, 12887994, 12998770, 13109041, 13218811, 13328087, 13436871,
    13545168, 13652983, 13760320, 13867183, 13973576, 14079503, 14184969, 14289978,
    14394532, 14498638, 14602297, 14705514, 14808293, 14910637, 15012551, 15114037,
    15215099, 15315742, 15415967, 15515779, 15615181, 15714177, 15812769, 15910962,
    16008758, 16106160, 16203172, 16299796, 16396036, 16491896, 16587377, 16682482,
    16777216
};

void mf_log_fast_f32(float *x, uint32_t n, float floor_value, int clamp) {
    uint32_t i;
    const uint32_t floor_bits = float_bits(floor_value);
    for (i = 0; i < n; ++i) {
        float v;
        uint32_t u, mantissa, index, frac;
        int32_t exponent, log2_q24;
        if (clamp) {
            /* positive floats order like their bits */
            u = float_bits(x[i]);
            v = (u >> 31) == 0 && u > floor_bits ? x[i] : floor_value;
        } else {
            v = x[i] + floor_value;
        }
        u = float_bits(v);
        exponent = (int32_t)((u >> 23) & 0xFF);
        if (exponent == 0 || exponent == 0xFF || (u >> 31)) {
            x[i] = logf(v); /* zero, subnormal, negative, inf or NaN: the library decides */
            continue;
        }
        mantissa = u & 0x7FFFFFu;
        index = mantissa >> 16;            /* 7 bits: the table segment */
        frac = (mantissa >> 3) & 0x1FFFu;  /* 13 bits inside it */
        log2_q24 = (exponent - 127) * (1 << 24) + log2_table_q24[index]
                   + (int32_t)(((uint32_t)(log2_table_q24[index + 1] - log2_table_q24[index])
                                * frac) >> 13);
        x[i] = (float)log2_q24 * 4.13147915e-08f; /* ln(2) / 2^24 */
    }
}
