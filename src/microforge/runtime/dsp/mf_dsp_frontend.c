/* microforge DSP: float32 front-end steps (see mf_dsp_frontend.h). */
#include "mf_dsp_frontend.h"

#include <math.h>

float mf_amplitude_divisor_f32(const float *x, uint32_t n, uint32_t stride, int mode) {
    float best;
    uint32_t i;
    if (n == 0) {
        return 1.0f;
    }
    best = mode == 2 ? fabsf(x[0]) : x[0];
    for (i = 1; i < n; ++i) {
        const float v = mode == 2 ? fabsf(x[i * stride]) : x[i * stride];
        if (v > best) {
            best = v;
        }
    }
    return best > 0.0f ? best : 1.0f;
}

void mf_frame_f32(const float *x, uint32_t stride, float divisor, const float *window,
                  uint32_t length, uint32_t fft_length, float *frame) {
    uint32_t i;
    for (i = 0; i < length; ++i) {
        frame[i] = (x[i * stride] / divisor) * window[i];
    }
    for (; i < fft_length; ++i) {
        frame[i] = 0.0f;
    }
}

void mf_filterbank_f32(const float *spectrum, uint32_t n_filters, const uint16_t *start,
                       const uint16_t *len, const float *weights, float *out) {
    uint32_t f, j;
    for (f = 0; f < n_filters; ++f) {
        const float *s = spectrum + start[f];
        float acc = 0.0f;
        for (j = 0; j < len[f]; ++j) {
            acc += weights[j] * s[j];
        }
        weights += len[f];
        out[f] = acc;
    }
}

void mf_log_f32(float *x, uint32_t n, float floor_value, int clamp) {
    uint32_t i;
    for (i = 0; i < n; ++i) {
        x[i] = clamp ? logf(x[i] > floor_value ? x[i] : floor_value) : logf(x[i] + floor_value);
    }
}

void mf_matvec_f32(const float *matrix, const float *x, uint32_t n_rows, uint32_t n_cols,
                   float *out) {
    uint32_t r, c;
    for (r = 0; r < n_rows; ++r) {
        const float *row = matrix + r * n_cols;
        float acc = 0.0f;
        for (c = 0; c < n_cols; ++c) {
            acc += row[c] * x[c];
        }
        out[r] = acc;
    }
}

void mf_standardize_f32(float *x, uint32_t n, const float *mean, const float *std,
                        uint32_t n_stats) {
    uint32_t i, s = 0;
    for (i = 0; i < n; ++i) {
        x[i] = (x[i] - mean[s]) / std[s];
        if (++s == n_stats) {
            s = 0;
        }
    }
}
