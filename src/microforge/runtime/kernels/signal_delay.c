/* microforge runtime: SignalDelay. The row's pending samples, then its new ones, form one
 * sequence: the output is its first frame_size samples, the state its last delay_length (TFLM
 * keeps the same sequence in a circular buffer of frame_size + delay_length). */
#include "signal_delay.h"

void mf_signal_delay(const mf_signal_delay_params *p, const int16_t *input, int16_t *state,
                     int16_t *output) {
    const int32_t n = p->frame_size;
    const int32_t d = p->delay_length;
    int32_t row;
    for (row = 0; row < p->rows; ++row) {
        const int16_t *in = input + (size_t)row * (size_t)n;
        int16_t *out = output + (size_t)row * (size_t)n;
        int16_t *pending = d ? state + (size_t)row * (size_t)d : NULL;
        int32_t i;
        for (i = 0; i < n; ++i) {
            out[i] = i < d ? pending[i] : in[i - d];
        }
        if (n >= d) {
            for (i = 0; i < d; ++i) {
                pending[i] = in[n - d + i];
            }
        } else {
            for (i = 0; i < d - n; ++i) {
                pending[i] = pending[i + n];
            }
            for (i = 0; i < n; ++i) {
                pending[d - n + i] = in[i];
            }
        }
    }
}
