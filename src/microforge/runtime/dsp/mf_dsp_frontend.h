/* microforge DSP: the float32 steps of a spectral front end (MFE, MFCC) and of feature
 * standardisation. Pure functions over caller buffers; the tables come from the fitted
 * Python block as const arrays. */
#ifndef MF_DSP_FRONTEND_H
#define MF_DSP_FRONTEND_H

#include <stdint.h>

/* The largest of n values spaced `stride` apart (mode 1), or the largest |value| (mode 2);
 * returns 1.0f when that is <= 0 (the window then stays as it is). */
float mf_amplitude_divisor_f32(const float *x, uint32_t n, uint32_t stride, int mode);

/* frame[i] = (x[i * stride] / divisor) * window[i] for i < length, zero up to fft_length. */
void mf_frame_f32(const float *x, uint32_t stride, float divisor, const float *window,
                  uint32_t length, uint32_t fft_length, float *frame);

/* Sparse triangular filterbank: out[f] = sum_j weights[offset_f + j] * spectrum[start[f] + j]
 * for j < len[f]; offset_f is the running sum of len. */
void mf_filterbank_f32(const float *spectrum, uint32_t n_filters, const uint16_t *start,
                       const uint16_t *len, const float *weights, float *out);

/* x[i] = ln(x[i] + floor) (clamp = 0) or ln(max(x[i], floor)) (clamp = 1). */
void mf_log_f32(float *x, uint32_t n, float floor_value, int clamp);

/* out[r] = sum_c matrix[r * n_cols + c] * x[c], for r < n_rows (the DCT with lifter). */
void mf_matvec_f32(const float *matrix, const float *x, uint32_t n_rows, uint32_t n_cols,
                   float *out);

/* x[i] = (x[i] - mean[i % n_stats]) / std[i % n_stats], for i < n. */
void mf_standardize_f32(float *x, uint32_t n, const float *mean, const float *std,
                        uint32_t n_stats);

#endif /* MF_DSP_FRONTEND_H */
