/* microforge runtime: TFLM's SignalFilterBank: triangular mel filters over a uint32 energy
 * spectrum, accumulated in uint64. */
#ifndef MF_SIGNAL_FILTER_BANK_H
#define MF_SIGNAL_FILTER_BANK_H

#include "mf_common.h"

typedef struct {
    int32_t num_channels;  /* outputs; the tables have num_channels + 1 entries */
} mf_signal_filter_bank_params;

/* weights / unweights: the filters' rising and falling slopes; freq_starts, weight_starts,
 * widths: per channel (entry 0 is the scratch channel TFLM discards), where its band starts in
 * the spectrum, where its weights start, and how many bins it spans. */
void mf_signal_filter_bank(const mf_signal_filter_bank_params *p, const uint32_t *input,
                           const int16_t *weights, const int16_t *unweights,
                           const int16_t *freq_starts, const int16_t *weight_starts,
                           const int16_t *widths, uint64_t *output);

#endif /* MF_SIGNAL_FILTER_BANK_H */
