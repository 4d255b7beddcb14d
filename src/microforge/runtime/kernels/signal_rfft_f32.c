/* microforge runtime: SignalRfft for f32 (signal_fft_template.h). */
#include "signal_rfft_f32.h"
#define MF_FFT_IMPLEMENTATION
#include "signal_fft_f32.h"
#define MF_FFT_FORWARD
#define MF_FFT_PUBLIC mf_signal_rfft_f32
#include "signal_fft_template.h"
