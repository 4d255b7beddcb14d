/* microforge runtime: TFLM's SignalOverlapAdd (int16 saturating, float32): frames added into
 * a running buffer, frame_step samples emitted per frame. */
#ifndef MF_SIGNAL_OVERLAP_ADD_H
#define MF_SIGNAL_OVERLAP_ADD_H

#include "mf_common.h"

typedef struct {
    int32_t rows;        /* outer dimensions flattened */
    int32_t n_frames;    /* frames per row and invoke */
    int32_t frame_size;
    int32_t frame_step;  /* <= frame_size */
} mf_signal_overlap_add_params;

/* state: rows x frame_size samples of the running sum (0 after reset). */
void mf_signal_overlap_add_s16(const mf_signal_overlap_add_params *p, const int16_t *input,
                               int16_t *state, int16_t *output);
void mf_signal_overlap_add_f32(const mf_signal_overlap_add_params *p, const float *input,
                               float *state, float *output);

#endif /* MF_SIGNAL_OVERLAP_ADD_H */
