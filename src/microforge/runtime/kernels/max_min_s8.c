/* microforge runtime: MAXIMUM/MINIMUM int8, int16, int64 (raw values compared). */
#include "max_min_s8.h"

static inline int8_t mf_max_one_s8(const mf_max_min_s8_params *p, int8_t a, int8_t b) {
    (void)p;
    return a > b ? a : b;
}

static inline int8_t mf_min_one_s8(const mf_max_min_s8_params *p, int8_t a, int8_t b) {
    (void)p;
    return a < b ? a : b;
}

void mf_max_min_s8(const mf_max_min_s8_params *p, const int8_t *input1, const int8_t *input2,
                   int8_t *output) {
    if (p->is_max) {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_max_one_s8, p);
    } else {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_min_one_s8, p);
    }
}

static inline int16_t mf_max_one_s16(const mf_max_min_s8_params *p, int16_t a, int16_t b) {
    (void)p;
    return a > b ? a : b;
}

static inline int16_t mf_min_one_s16(const mf_max_min_s8_params *p, int16_t a, int16_t b) {
    (void)p;
    return a < b ? a : b;
}

void mf_max_min_s16(const mf_max_min_s8_params *p, const int16_t *input1, const int16_t *input2,
                    int16_t *output) {
    if (p->is_max) {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_max_one_s16, p);
    } else {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_min_one_s16, p);
    }
}

static inline int64_t mf_max_one_s64(const mf_max_min_s8_params *p, int64_t a, int64_t b) {
    (void)p;
    return a > b ? a : b;
}

static inline int64_t mf_min_one_s64(const mf_max_min_s8_params *p, int64_t a, int64_t b) {
    (void)p;
    return a < b ? a : b;
}

void mf_max_min_s64(const mf_max_min_s8_params *p, const int64_t *input1, const int64_t *input2,
                    int64_t *output) {
    if (p->is_max) {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_max_one_s64, p);
    } else {
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_min_one_s64, p);
    }
}
