/* microforge DSP: real FFT in float32 (see mf_dsp_fft.h for why it is hand-written).
 *
 * A real sequence of n samples is read as n/2 complex values z[j] = x[2j] + i x[2j+1]; an
 * iterative radix-2 decimation-in-time FFT of size m = n/2 gives Z, and the split step
 * X[k] = E[k] + W^k O[k] with E = (Z[k] + conj Z[m-k]) / 2, O = -i (Z[k] - conj Z[m-k]) / 2
 * recovers the n/2 + 1 bins of the real FFT. */
#include "mf_dsp_fft.h"

#include <math.h>

static void bit_reverse(float *z, uint32_t m) {
    uint32_t i, j = 0, bit;
    for (i = 1; i < m; ++i) {
        bit = m >> 1;
        while (j & bit) {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if (i < j) {
            float re = z[2 * i], im = z[2 * i + 1];
            z[2 * i] = z[2 * j];
            z[2 * i + 1] = z[2 * j + 1];
            z[2 * j] = re;
            z[2 * j + 1] = im;
        }
    }
}

/* complex FFT of m = n/2 points; twiddle exp(-2 pi i j / len) = twiddle[j * n / len].
 * The first stage (w = 1) only adds; later stages loop twiddle-outer so each w loads once. */
static void complex_fft(float *z, uint32_t m, uint32_t n, const float *twiddle) {
    uint32_t len, i, j;
    bit_reverse(z, m);
    for (i = 0; i + 1 < m; i += 2) {
        float *a = z + 2 * i;
        const float ar = a[0], ai = a[1], br = a[2], bi = a[3];
        a[0] = ar + br;
        a[1] = ai + bi;
        a[2] = ar - br;
        a[3] = ai - bi;
    }
    for (len = 4; len <= m; len <<= 1) {
        const uint32_t half = len >> 1;
        const uint32_t step = n / len;
        for (j = 0; j < half; ++j) {
            const float wr = twiddle[2 * j * step], wi = twiddle[2 * j * step + 1];
            float *a = z + 2 * j;
            float *const end = z + 2 * m;
            for (; a < end; a += 2 * len) {
                float *b = a + 2 * half;
                const float ar = a[0], ai = a[1], br = b[0], bi = b[1];
                const float tr = br * wr - bi * wi;
                const float ti = br * wi + bi * wr;
                a[0] = ar + tr;
                a[1] = ai + ti;
                b[0] = ar - tr;
                b[1] = ai - ti;
            }
        }
    }
}

void mf_rfft_f32(float *buf, uint32_t n, const float *twiddle) {
    const uint32_t m = n >> 1;
    uint32_t k;
    float z0r, z0i;
    complex_fft(buf, m, n, twiddle);
    z0r = buf[0];
    z0i = buf[1];
    buf[0] = z0r + z0i; /* X[0] */
    buf[1] = z0r - z0i; /* X[n/2] */
    for (k = 1; k < m - k; ++k) {
        float *a = buf + 2 * k;
        float *b = buf + 2 * (m - k);
        const float er = 0.5f * (a[0] + b[0]), ei = 0.5f * (a[1] - b[1]);
        const float or_ = 0.5f * (a[1] + b[1]), oi = -0.5f * (a[0] - b[0]);
        const float wr = twiddle[2 * k], wi = twiddle[2 * k + 1];
        const float pr = wr * or_ - wi * oi, pi = wr * oi + wi * or_;
        a[0] = er + pr;
        a[1] = ei + pi;
        b[0] = er - pr;
        b[1] = pi - ei;
    }
    if (m > 1) {
        buf[2 * (m >> 1) + 1] = -buf[2 * (m >> 1) + 1]; /* X[m/2] = conj Z[m/2] */
    }
}

void mf_rfft_spectrum_f32(const float *packed, uint32_t n, int power, float *out) {
    const uint32_t half = n >> 1;
    uint32_t k;
    out[0] = power ? packed[0] * packed[0] : fabsf(packed[0]);
    out[half] = power ? packed[1] * packed[1] : fabsf(packed[1]);
    for (k = 1; k < half; ++k) {
        const float re = packed[2 * k], im = packed[2 * k + 1];
        const float p = re * re + im * im;
        out[k] = power ? p : sqrtf(p);
    }
}
