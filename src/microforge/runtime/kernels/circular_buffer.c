/* microforge runtime: CIRCULAR_BUFFER, int8 (TFLM's circular_buffer.cc: shift, append, and a
 * countdown of cycles_max invokes; here counted up from 0 so that reset is a clear to 0). */
#include "circular_buffer.h"

int mf_circular_buffer_s8(const mf_circular_buffer_params *p, const int8_t *input,
                          uint8_t *state, int8_t *output) {
    int32_t *since_run = (int32_t *)(void *)state;
    int8_t *buffer = (int8_t *)(state + 4);
    const size_t depth = (size_t)p->depth, kept = (size_t)(p->slots - 1) * depth;
    memmove(buffer, buffer + depth, kept);
    memcpy(buffer + kept, input, depth);
    memcpy(output, buffer, kept + depth);
    if (++*since_run != p->cycles_max) {
        return MF_CIRCULAR_BUFFER_WAITING;
    }
    *since_run = 0;
    return 0;
}
