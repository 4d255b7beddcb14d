/* microforge runtime: TFLM's SignalStacker (int16): the last left + 1 + right frames of
 * num_channels stacked into one output every `step` frames. */
#ifndef MF_SIGNAL_STACKER_H
#define MF_SIGNAL_STACKER_H

#include "mf_common.h"

typedef struct {
    int32_t num_channels;
    int32_t left_context;
    int32_t buffer_size;  /* num_channels x (left + right + 1) */
    int32_t step_size;    /* num_channels x stacker_step */
} mf_signal_stacker_params;

/* state: int32 samples held, int32 first frame seen, then buffer_size int16 (oldest first);
 * all 0 after reset. The first frame is repeated left_context more times, as in TFLM. An
 * incomplete stack leaves the output at zeros (TFLM leaves it unwritten), *valid = 0. */
void mf_signal_stacker(const mf_signal_stacker_params *p, const int16_t *input, uint8_t *state,
                       int16_t *output, uint8_t *valid);

#endif /* MF_SIGNAL_STACKER_H */
