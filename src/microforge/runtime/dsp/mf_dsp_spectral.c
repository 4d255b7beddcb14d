/* microforge DSP: spectral-features pieces in float32 (see mf_dsp_spectral.h). */
#include "mf_dsp_spectral.h"

#include <math.h>

#include "mf_dsp_fft.h"

void mf_biquads_f32(float *x, uint32_t n, const float *sos, uint32_t n_sections) {
    uint32_t s, i;
    for (s = 0; s < n_sections; ++s) {
        const float *c = sos + 6 * s;
        float z0 = 0.0f, z1 = 0.0f;
        for (i = 0; i < n; ++i) {
            const float in = x[i];
            const float y = c[0] * in + z0;
            z0 = c[1] * in - c[4] * y + z1;
            z1 = c[2] * in - c[5] * y;
            x[i] = y;
        }
    }
}

void mf_statistics_f32(const float *x, uint32_t n, const uint8_t *codes, uint32_t n_codes,
                       float *out) {
    float sum = 0.0f, sq = 0.0f, m2 = 0.0f, m3 = 0.0f, m4 = 0.0f, mean;
    uint32_t i;
    int flat;
    for (i = 0; i < n; ++i) {
        sum += x[i];
        sq += x[i] * x[i];
    }
    mean = sum / (float)n;
    for (i = 0; i < n; ++i) {
        const float d = x[i] - mean;
        const float d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= (float)n;
    m3 /= (float)n;
    m4 /= (float)n;
    flat = m2 <= 1e-24f;
    for (i = 0; i < n_codes; ++i) {
        switch (codes[i]) {
        case MF_STAT_RMS:
            out[i] = sqrtf(sq / (float)n);
            break;
        case MF_STAT_MEAN:
            out[i] = mean;
            break;
        case MF_STAT_STD:
            out[i] = sqrtf(m2);
            break;
        case MF_STAT_SKEWNESS:
            out[i] = flat ? 0.0f : m3 / (m2 * sqrtf(m2));
            break;
        default:
            out[i] = flat ? 0.0f : m4 / (m2 * m2) - 3.0f;
            break;
        }
    }
}

void mf_remove_mean_f32(float *x, uint32_t n) {
    float sum = 0.0f, mean;
    uint32_t i;
    for (i = 0; i < n; ++i) {
        sum += x[i];
    }
    mean = sum / (float)n;
    for (i = 0; i < n; ++i) {
        x[i] -= mean;
    }
}

void mf_welch_squared_f32(const float *x, uint32_t n, uint32_t fft_length, const float *window,
                          const float *twiddle, float *frame, float *squared) {
    const uint32_t length = n < fft_length ? n : fft_length;
    const uint32_t step = fft_length / 2 > 0 ? fft_length / 2 : 1;
    const uint32_t n_frames = n > fft_length ? 1 + (n - fft_length) / step : 1;
    const uint32_t n_bins = fft_length / 2 + 1;
    uint32_t f, i;
    for (i = 0; i < n_bins; ++i) {
        squared[i] = 0.0f;
    }
    for (f = 0; f < n_frames; ++f) {
        const float *s = x + f * step;
        for (i = 0; i < length; ++i) {
            frame[i] = s[i] * window[i];
        }
        for (; i < fft_length; ++i) {
            frame[i] = 0.0f;
        }
        mf_rfft_f32(frame, fft_length, twiddle);
        squared[0] += frame[0] * frame[0];
        squared[n_bins - 1] += frame[1] * frame[1];
        for (i = 1; i + 1 < n_bins; ++i) {
            squared[i] += frame[2 * i] * frame[2 * i] + frame[2 * i + 1] * frame[2 * i + 1];
        }
    }
    if (n_frames > 1) {
        for (i = 0; i < n_bins; ++i) {
            squared[i] /= (float)n_frames;
        }
    }
}

void mf_amplitude_f32(const float *squared, uint32_t fft_length, float scale, float *out) {
    const uint32_t half = fft_length / 2;
    uint32_t k;
    for (k = 0; k <= half; ++k) {
        out[k] = sqrtf(squared[k]) * ((k > 0 && k < half) ? 2.0f * scale : scale);
    }
}

void mf_top_peaks_f32(const float *amp, uint32_t n_bins, uint32_t n_peaks, float bin_hz,
                      float *out) {
    uint32_t k, i, found = 0;
    for (i = 0; i < 2 * n_peaks; ++i) {
        out[i] = 0.0f;
    }
    for (k = 1; k + 1 < n_bins; ++k) {
        const float h = amp[k];
        if (!(h > amp[k - 1] && h >= amp[k + 1])) {
            continue;
        }
        /* insertion into the sorted list (height descending, earlier bin first on ties) */
        i = found < n_peaks ? found : n_peaks;
        while (i > 0 && out[2 * (i - 1) + 1] < h) {
            if (i < n_peaks) {
                out[2 * i] = out[2 * (i - 1)];
                out[2 * i + 1] = out[2 * (i - 1) + 1];
            }
            --i;
        }
        if (i < n_peaks) {
            out[2 * i] = (float)k * bin_hz;
            out[2 * i + 1] = h;
            if (found < n_peaks) {
                ++found;
            }
        }
    }
}

void mf_band_energy_f32(const float *squared, uint32_t fft_length, float scale,
                        const uint16_t *start, const uint16_t *len, uint32_t n_bands,
                        int log_scale, float floor_value, float *out) {
    const uint32_t half = fft_length / 2;
    uint32_t b, k;
    for (b = 0; b < n_bands; ++b) {
        float acc = 0.0f, e;
        for (k = start[b]; k < (uint32_t)start[b] + len[b]; ++k) {
            acc += (k > 0 && k < half) ? 2.0f * squared[k] : squared[k];
        }
        e = acc * scale;
        out[b] = log_scale ? logf(e + floor_value) : e;
    }
}
