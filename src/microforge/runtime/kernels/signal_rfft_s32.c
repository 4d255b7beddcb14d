/* microforge runtime: SignalRfft for s32 (signal_fft_template.h). */
#include "signal_rfft_s32.h"
#define MF_FFT_IMPLEMENTATION
#include "signal_fft_s32.h"
#define MF_FFT_FORWARD
#define MF_FFT_PUBLIC mf_signal_rfft_s32
#include "signal_fft_template.h"
