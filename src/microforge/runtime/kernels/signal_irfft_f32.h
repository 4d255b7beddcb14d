/* microforge runtime: mf_signal_irfft_f32 (declared in signal_fft.h). */
#ifndef MF_SIGNAL_IRFFT_F32_H
#define MF_SIGNAL_IRFFT_F32_H

#include "signal_fft.h"

#endif
