/* microforge runtime: SignalFramer. Each step appends frame_step samples; once frame_size are
 * held, the oldest frame_size form the frame and frame_step are dropped (TFLM keeps the same
 * samples in a circular buffer of `capacity`). */
#include "signal_framer.h"

static size_t mf_framer_row_bytes(const mf_signal_framer_params *p) {
    return (4u + 2u * (size_t)p->capacity + 3u) & ~(size_t)3u;
}

void mf_signal_framer(const mf_signal_framer_params *p, const int16_t *input, uint8_t *state,
                      int16_t *output, uint8_t *valid) {
    int32_t row, frame, i;
    *valid = 1u;
    for (row = 0; row < p->rows; ++row) {
        uint8_t *slot = state + (size_t)row * mf_framer_row_bytes(p);
        int32_t *extra = (int32_t *)(void *)slot;
        int16_t *held = (int16_t *)(void *)(slot + 4);
        for (frame = 0; frame < p->n_frames; ++frame) {
            const size_t index = (size_t)row * (size_t)p->n_frames + (size_t)frame;
            const int16_t *in = input + index * (size_t)p->frame_step;
            int16_t *out = output + index * (size_t)p->frame_size;
            int32_t count = p->prefill + *extra;
            for (i = 0; i < p->frame_step; ++i) {
                held[count + i] = in[i];
            }
            count += p->frame_step;
            if (count >= p->frame_size) {
                for (i = 0; i < p->frame_size; ++i) {
                    out[i] = held[i];
                }
                for (i = 0; i < count - p->frame_step; ++i) {
                    held[i] = held[i + p->frame_step];
                }
                count -= p->frame_step;
            } else {
                for (i = 0; i < p->frame_size; ++i) {
                    out[i] = 0;
                }
                *valid = 0u;
            }
            *extra = count - p->prefill;
        }
    }
}
