/* microforge runtime: TFLM's SignalWindow (int16): each frame times the window, shifted. */
#ifndef MF_SIGNAL_WINDOW_H
#define MF_SIGNAL_WINDOW_H

#include "mf_common.h"

typedef struct {
    int32_t size;         /* elements of the input (a whole number of frames) */
    int32_t window_size;  /* elements of the window = of one frame */
    int32_t shift;        /* right shift of each product */
} mf_signal_window_params;

void mf_signal_window(const mf_signal_window_params *p, const int16_t *input,
                      const int16_t *window, int16_t *output);

#endif /* MF_SIGNAL_WINDOW_H */
