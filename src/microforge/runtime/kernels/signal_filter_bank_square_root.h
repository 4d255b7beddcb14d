/* microforge runtime: TFLM's SignalFilterBankSquareRoot: sqrt of each uint64 channel energy,
 * shifted right by the FFT auto-scale's bits. */
#ifndef MF_SIGNAL_FILTER_BANK_SQUARE_ROOT_H
#define MF_SIGNAL_FILTER_BANK_SQUARE_ROOT_H

#include "mf_common.h"

void mf_signal_filter_bank_square_root(int32_t num_channels, const uint64_t *input,
                                       const int32_t *scale_bits, uint32_t *output);

#endif /* MF_SIGNAL_FILTER_BANK_SQUARE_ROOT_H */
