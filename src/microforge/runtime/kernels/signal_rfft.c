/* microforge runtime: SignalRfft for s16 (signal_fft_template.h). */
#include "signal_rfft.h"
#define MF_FFT_IMPLEMENTATION
#include "signal_fft_s16.h"
#define MF_FFT_FORWARD
#define MF_FFT_PUBLIC mf_signal_rfft
#include "signal_fft_template.h"
