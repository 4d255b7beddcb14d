/* microforge runtime: mf_signal_rfft (declared in signal_fft.h). */
#ifndef MF_SIGNAL_RFFT_H
#define MF_SIGNAL_RFFT_H

#include "signal_fft.h"

#endif
