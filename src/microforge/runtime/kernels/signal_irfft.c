/* microforge runtime: SignalIrfft for s16 (signal_fft_template.h). */
#include "signal_irfft.h"
#define MF_FFT_IMPLEMENTATION
#include "signal_fft_s16.h"

#define MF_FFT_PUBLIC mf_signal_irfft
#include "signal_fft_template.h"
