/* microforge DSP: fixed-point front end for cores without an FPU (Cortex-M0+, M3, RV32IMC):
 * q31 real FFT with block floating point, integer magnitude / power, sparse filterbank with
 * q15 weights accumulated in 64 bits. Only the per-filter results (a few dozen per frame) are
 * converted to float for the log and DCT.
 *
 * Scaling: a frame is converted to q30 with one exponent e chosen from its largest |sample|
 * (block floating point), so quiet frames keep their precision; the FFT halves its values at
 * every stage (no overflow possible), which the returned shift undoes exactly in floats. */
#ifndef MF_DSP_FIXED_H
#define MF_DSP_FIXED_H

#include <stdint.h>

/* frame[i] = x[i * stride] * 2^(30 - e) * window[i] (q31 window), zero up to fft_length;
 * returns e (frame value = frame[i] * 2^(e - 30)). */
int mf_frame_q31(const float *x, uint32_t stride, const int32_t *window, uint32_t length,
                 uint32_t fft_length, int32_t *frame);

/* In-place real FFT of n (power of two >= 4) q31 values, same packing as mf_rfft_f32.
 * twiddle: n/2 q31 pairs (cos, -sin). Returns s = log2(n): true X[k] = out * 2^s (one halving
 * per complex stage, one more in the split step). */
int mf_rfft_q31(int32_t *buf, uint32_t n, const int32_t *twiddle);

/* Filterbank on the packed q31 FFT output: acc[f] = sum w_q15 * |X| (power = 0; overwrites
 * the FFT output with one |X| per bin used, each computed once) or sum w_q15 * (|X|^2 >> s)
 * (power = 1) with s (returned; 0 for magnitude) the fewest bits that keep the frame's largest
 * energy below 2^39. Needs len[f] <= 1024 for power. */
int mf_filterbank_q31(int32_t *packed, uint32_t n, int power, uint32_t n_filters,
                       const uint16_t *start, const uint16_t *len, const int16_t *weights,
                      uint64_t *acc);

/* Filterbank accumulators -> float energies, undoing every scale: exponent from
 * mf_frame_q31, shift from mf_rfft_q31, power_shift from mf_filterbank_q31, divisor (the
 * amplitude normalisation). */
void mf_filterbank_to_f32(const uint64_t *acc, uint32_t n_filters, int power, int exponent,
                          int shift, int power_shift, float divisor, float *out);

/* mf_welch_squared_f32 (mf_dsp_spectral.h) with the FFT in q31: float samples in, mean
 * |X|^2 out in float. */
void mf_welch_squared_q31(const float *x, uint32_t n, uint32_t fft_length,
                          const int32_t *window, const int32_t *twiddle, int32_t *frame,
                          float *squared);

/* mf_log_f32 (mf_dsp_frontend.h) with integer work only after the floor is applied: log2 from
 * the float's exponent plus a 129-entry table of log2(1 + m), linearly interpolated; absolute
 * error < 1e-5. */
void mf_log_fast_f32(float *x, uint32_t n, float floor_value, int clamp);

/* sqrt(v) with 32-bit integer work only: floor(sqrt(v)) exactly for v < 2^32, else to 16
 * significant bits (relative error < 2^-15). */
uint32_t mf_sqrt_u64(uint64_t v);

#endif /* MF_DSP_FIXED_H */
