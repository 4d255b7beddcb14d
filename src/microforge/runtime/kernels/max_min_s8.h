/* microforge runtime: MAXIMUM and MINIMUM, int8, int16 and int64, with TFLite broadcasting.
 * Like TFLM, the raw values are compared (no requantization). One params struct for the
 * three entry points. */
#ifndef MF_MAX_MIN_S8_H
#define MF_MAX_MIN_S8_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    int32_t is_max;  /* 1: MAXIMUM, 0: MINIMUM */
} mf_max_min_s8_params;

void mf_max_min_s8(const mf_max_min_s8_params *p, const int8_t *input1, const int8_t *input2,
                   int8_t *output);
void mf_max_min_s16(const mf_max_min_s8_params *p, const int16_t *input1, const int16_t *input2,
                    int16_t *output);
void mf_max_min_s64(const mf_max_min_s8_params *p, const int64_t *input1, const int64_t *input2,
                    int64_t *output);

#endif /* MF_MAX_MIN_S8_H */
