/* microforge runtime: SignalOverlapAdd, as TFLM's OverlapAdd: add the frame into the buffer
 * (int16 saturated), emit its first frame_step samples, shift it left, zero-fill the end. */
#include "signal_overlap_add.h"

#define MF_OVERLAP_ADD_BODY(ADD)                                                         \
    do {                                                                                 \
        int32_t row, frame, i;                                                           \
        for (row = 0; row < p->rows; ++row) {                                            \
            buffer = state + (size_t)row * (size_t)p->frame_size;                        \
            for (frame = 0; frame < p->n_frames; ++frame) {                              \
                const size_t index = (size_t)row * (size_t)p->n_frames + (size_t)frame;  \
                const_in = input + index * (size_t)p->frame_size;                        \
                out = output + index * (size_t)p->frame_step;                            \
                for (i = 0; i < p->frame_size; ++i) {                                    \
                    ADD;                                                                 \
                }                                                                        \
                for (i = 0; i < p->frame_step; ++i) {                                    \
                    out[i] = buffer[i];                                                  \
                }                                                                        \
                for (i = 0; i < p->frame_size - p->frame_step; ++i) {                    \
                    buffer[i] = buffer[i + p->frame_step];                               \
                }                                                                        \
                for (; i < p->frame_size; ++i) {                                         \
                    buffer[i] = 0;                                                       \
                }                                                                        \
            }                                                                            \
        }                                                                                \
    } while (0)

void mf_signal_overlap_add_s16(const mf_signal_overlap_add_params *p, const int16_t *input,
                               int16_t *state, int16_t *output) {
    int16_t *buffer;
    const int16_t *const_in;
    int16_t *out;
    MF_OVERLAP_ADD_BODY({
        const int32_t sum = (int32_t)const_in[i] + buffer[i];
        buffer[i] = (int16_t)MF_CLAMP(sum, INT16_MIN, INT16_MAX);
    });
}

void mf_signal_overlap_add_f32(const mf_signal_overlap_add_params *p, const float *input,
                               float *state, float *output) {
    float *buffer;
    const float *const_in;
    float *out;
    MF_OVERLAP_ADD_BODY(buffer[i] += const_in[i]);
}
