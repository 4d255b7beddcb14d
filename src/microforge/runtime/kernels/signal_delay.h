/* microforge runtime: TFLM's SignalDelay (int16): every row of the input delayed by
 * delay_length samples, across invokes (the first output samples are zeros). */
#ifndef MF_SIGNAL_DELAY_H
#define MF_SIGNAL_DELAY_H

#include "mf_common.h"

typedef struct {
    int32_t rows;          /* outer dimensions flattened */
    int32_t frame_size;    /* innermost dimension */
    int32_t delay_length;
} mf_signal_delay_params;

/* state: rows x delay_length int16, the samples still owed (0 after reset). The output may not
 * be the input's buffer. */
void mf_signal_delay(const mf_signal_delay_params *p, const int16_t *input, int16_t *state,
                     int16_t *output);

#endif /* MF_SIGNAL_DELAY_H */
