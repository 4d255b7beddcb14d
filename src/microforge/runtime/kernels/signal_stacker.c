/* microforge runtime: SignalStacker. */
#include "signal_stacker.h"

void mf_signal_stacker(const mf_signal_stacker_params *p, const int16_t *input, uint8_t *state,
                       int16_t *output, uint8_t *valid) {
    int32_t *count = (int32_t *)(void *)state;
    int32_t *has_first = count + 1;
    int16_t *held = (int16_t *)(void *)(state + 8);
    int32_t i, copy;
    for (i = 0; i < p->num_channels; ++i) {
        held[*count + i] = input[i];
    }
    *count += p->num_channels;
    if (!*has_first) {
        for (copy = 0; copy < p->left_context; ++copy) {
            for (i = 0; i < p->num_channels; ++i) {
                held[*count + i] = input[i];
            }
            *count += p->num_channels;
        }
        *has_first = 1;
    }
    if (*count >= p->buffer_size) {
        for (i = 0; i < p->buffer_size; ++i) {
            output[i] = held[i];
        }
        for (i = 0; i < *count - p->step_size; ++i) {
            held[i] = held[i + p->step_size];
        }
        *count -= p->step_size;
        *valid = 1u;
    } else {
        for (i = 0; i < p->buffer_size; ++i) {
            output[i] = 0;
        }
        *valid = 0u;
    }
}
