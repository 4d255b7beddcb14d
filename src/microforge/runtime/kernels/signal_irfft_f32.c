/* microforge runtime: SignalIrfft for f32 (signal_fft_template.h). */
#include "signal_irfft_f32.h"
#define MF_FFT_IMPLEMENTATION
#include "signal_fft_f32.h"

#define MF_FFT_PUBLIC mf_signal_irfft_f32
#include "signal_fft_template.h"
