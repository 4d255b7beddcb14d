/* microforge runtime: mf_signal_rfft_s32 (declared in signal_fft.h). */
#ifndef MF_SIGNAL_RFFT_S32_H
#define MF_SIGNAL_RFFT_S32_H

#include "signal_fft.h"

#endif
