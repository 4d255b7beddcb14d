/* microforge runtime: mf_signal_irfft (declared in signal_fft.h). */
#ifndef MF_SIGNAL_IRFFT_H
#define MF_SIGNAL_IRFFT_H

#include "signal_fft.h"

#endif
