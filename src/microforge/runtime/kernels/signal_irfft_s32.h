/* microforge runtime: mf_signal_irfft_s32 (declared in signal_fft.h). */
#ifndef MF_SIGNAL_IRFFT_S32_H
#define MF_SIGNAL_IRFFT_S32_H

#include "signal_fft.h"

#endif
