/* microforge runtime: TFLM's SignalFramer (int16): overlapping frames of frame_size samples
 * every frame_step samples, from a stream given frame_step x n samples per invoke. */
#ifndef MF_SIGNAL_FRAMER_H
#define MF_SIGNAL_FRAMER_H

#include "mf_common.h"

typedef struct {
    int32_t rows;        /* outer dimensions flattened */
    int32_t n_frames;    /* innermost input dimension / frame_step */
    int32_t frame_size;
    int32_t frame_step;
    int32_t capacity;    /* frame_size rounded up to a multiple of frame_step */
    int32_t prefill;     /* samples a reset state already holds (zeros): frame_size -
                            frame_step with the prefill option, else 0 */
} mf_signal_framer_params;

/* state per row: one int32 (the samples held minus `prefill`, so that 0 bytes is the reset
 * state), then `capacity` int16 samples, oldest first; the row strides are
 * mf_signal_framer_row_bytes(p). A frame not complete yet leaves its output slot at zeros
 * (TFLM leaves it unwritten) and clears *valid. */
void mf_signal_framer(const mf_signal_framer_params *p, const int16_t *input, uint8_t *state,
                      int16_t *output, uint8_t *valid);

#endif /* MF_SIGNAL_FRAMER_H */
