/* microforge runtime: the logical ops (see logical.h). */
#include "logical.h"

static inline uint8_t mf_logical_one(const mf_logical_params *p, uint8_t a, uint8_t b) {
    return p->is_and ? (uint8_t)(a && b) : (uint8_t)(a || b);
}

void mf_logical(const mf_logical_params *p, const uint8_t *input1, const uint8_t *input2,
                uint8_t *output) {
    MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_logical_one, p);
}

void mf_logical_not(const uint8_t *input, uint8_t *output, int32_t count) {
    int32_t i;
    for (i = 0; i < count; ++i) {
        output[i] = (uint8_t)!input[i];
    }
}
