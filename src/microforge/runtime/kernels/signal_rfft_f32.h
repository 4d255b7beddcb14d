/* microforge runtime: mf_signal_rfft_f32 (declared in signal_fft.h). */
#ifndef MF_SIGNAL_RFFT_F32_H
#define MF_SIGNAL_RFFT_F32_H

#include "signal_fft.h"

#endif
