/* microforge runtime: CIRCULAR_BUFFER (TFLM's custom op for strided streaming convolutions),
 * int8: each invoke appends the input to a buffer of `slots` entries, dropping the oldest, and
 * lets the rest of the model run only every `cycles_max` invokes. */
#ifndef MF_CIRCULAR_BUFFER_H
#define MF_CIRCULAR_BUFFER_H

#include "mf_common.h"

typedef struct {
    int32_t slots;      /* entries of the buffer (the output's dimension 1) */
    int32_t depth;      /* bytes per entry */
    int32_t cycles_max; /* the model runs on from here every cycles_max-th invoke */
} mf_circular_buffer_params;

/* invoke stopped after this op: not yet cycles_max inputs since the last run (TFLM's
 * kTfLiteAbort); the buffer was updated, the model's outputs were not */
#define MF_CIRCULAR_BUFFER_WAITING 17

/* Bytes of state: the invoke counter, then the buffer (cleared by reset). */
#define MF_CIRCULAR_BUFFER_STATE_BYTES(slots, depth) (4 + (slots) * (depth))

/* state: MF_CIRCULAR_BUFFER_STATE_BYTES, 4-byte aligned. Returns 0 or
 * MF_CIRCULAR_BUFFER_WAITING. */
int mf_circular_buffer_s8(const mf_circular_buffer_params *p, const int8_t *input,
                          uint8_t *state, int8_t *output);

#endif /* MF_CIRCULAR_BUFFER_H */
