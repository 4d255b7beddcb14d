/* microforge runtime: SignalIrfft for s32 (signal_fft_template.h). */
#include "signal_irfft_s32.h"
#define MF_FFT_IMPLEMENTATION
#include "signal_fft_s32.h"

#define MF_FFT_PUBLIC mf_signal_irfft_s32
#include "signal_fft_template.h"
