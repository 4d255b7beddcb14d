/* microforge DSP: float32 pieces of the spectral-features block (IMU / vibration windows):
 * Butterworth biquads, statistics, Welch power spectrum, peaks and band energies. */
#ifndef MF_DSP_SPECTRAL_H
#define MF_DSP_SPECTRAL_H

#include <stdint.h>

/* Statistic codes, in the order of microforge.dsp.spectral_features.STATISTICS. */
#define MF_STAT_RMS 0
#define MF_STAT_MEAN 1
#define MF_STAT_STD 2
#define MF_STAT_SKEWNESS 3
#define MF_STAT_KURTOSIS 4

/* Causal filter in place from a zero state; sos: n_sections rows b0 b1 b2 a0 a1 a2 (a0 = 1),
 * transposed direct form II (as scipy.signal.sosfilt). */
void mf_biquads_f32(float *x, uint32_t n, const float *sos, uint32_t n_sections);

/* out[i] = statistic codes[i] of x[0..n); skewness and excess kurtosis are 0 when the
 * variance is <= 1e-24. */
void mf_statistics_f32(const float *x, uint32_t n, const uint8_t *codes, uint32_t n_codes,
                       float *out);

/* x[i] -= mean(x) */
void mf_remove_mean_f32(float *x, uint32_t n);

/* Mean |rfft|^2 of the windowed frames of fft_length (50 % overlap) when n > fft_length, else
 * of the one zero-padded frame; window has min(n, fft_length) values. frame: fft_length floats
 * of scratch; squared: fft_length / 2 + 1 outputs. */
void mf_welch_squared_f32(const float *x, uint32_t n, uint32_t fft_length, const float *window,
                          const float *twiddle, float *frame, float *squared);

/* One-sided amplitude spectrum: out[k] = sqrt(squared[k]) * (k in 1 .. n/2 - 1 ? 2 : 1) * scale */
void mf_amplitude_f32(const float *squared, uint32_t fft_length, float scale, float *out);

/* The n_peaks highest local maxima of amp (amp[k] > amp[k-1] and amp[k] >= amp[k+1], DC and
 * the last bin excluded), highest first, ties by lower bin: out = (k * bin_hz, amp[k]) pairs,
 * (0, 0) where fewer peaks exist. */
void mf_top_peaks_f32(const float *amp, uint32_t n_bins, uint32_t n_peaks, float bin_hz,
                      float *out);

/* Band energies from mean |X|^2: out[b] = scale * sum of one-sided squared over the bins
 * start[b] .. start[b] + len[b] - 1, then ln(e + floor) when log_scale. */
void mf_band_energy_f32(const float *squared, uint32_t fft_length, float scale,
                        const uint16_t *start, const uint16_t *len, uint32_t n_bands,
                        int log_scale, float floor_value, float *out);

#endif /* MF_DSP_SPECTRAL_H */
