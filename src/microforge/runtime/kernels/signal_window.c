/* microforge runtime: SignalWindow. (x * w) >> shift in int32 (arithmetic shift), saturated to
 * int16. The output may be the input's buffer. */
#include "signal_window.h"

void mf_signal_window(const mf_signal_window_params *p, const int16_t *input,
                      const int16_t *window, int16_t *output) {
    int32_t frame;
    for (frame = 0; frame < p->size; frame += p->window_size) {
        int32_t i;
        for (i = 0; i < p->window_size; ++i) {
            const int32_t raw = ((int32_t)input[frame + i] * window[i]) >> p->shift;
            output[frame + i] = (int16_t)MF_CLAMP(raw, INT16_MIN, INT16_MAX);
        }
    }
}
