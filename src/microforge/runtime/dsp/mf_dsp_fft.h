/* microforge DSP: real FFT in float32.
 *
 * Written here rather than taken from a library (CMSIS-DSP, KISS FFT, pocketfft) so that the
 * generated DSP depends on nothing beyond libc: one small file that compiles unchanged with
 * gcc on the host and arm-none-eabi-gcc on any Cortex-M, whose twiddle table is emitted by
 * Python as a const array (flash, no init code, no malloc). */
#ifndef MF_DSP_FFT_H
#define MF_DSP_FFT_H

#include <stdint.h>

/* In-place real FFT of n (a power of two >= 4) float samples.
 * twiddle: n/2 pairs (cos, -sin)(2 pi k / n), k = 0 .. n/2 - 1 (emitted by Python).
 * Output, packed: buf[0] = Re X[0], buf[1] = Re X[n/2], buf[2k], buf[2k+1] = Re, Im X[k]
 * for 0 < k < n/2 (X[k] = sum_t x[t] exp(-2 pi i k t / n), as numpy.fft.rfft). */
void mf_rfft_f32(float *buf, uint32_t n, const float *twiddle);

/* |X[k]| (power = 0) or |X[k]|^2 (power = 1) of a packed rfft output, n/2 + 1 values. */
void mf_rfft_spectrum_f32(const float *packed, uint32_t n, int power, float *out);

#endif /* MF_DSP_FFT_H */
