/* microforge runtime: LOG_SOFTMAX int8 -> int8 over the last axis (output scale 16/256, zero
 * point 127), TFLite's LogSoftmaxQuantized: Q5.26 differences, exp summed in Q12, the
 * fixed-point log, bit-exact. */
#ifndef MF_LOG_SOFTMAX_S8_H
#define MF_LOG_SOFTMAX_S8_H

#include "mf_common.h"

typedef struct {
    int32_t rows;
    int32_t depth;
    int32_t input_multiplier;            /* input_scale * 2^26, PreprocessSoftmaxScaling */
    int32_t input_left_shift;
    int32_t reverse_scaling_divisor;     /* PreprocessLogSoftmaxScalingExp */
    int32_t reverse_scaling_left_shift;  /* <= 0 */
    int32_t diff_min;                    /* differences below it add nothing */
} mf_log_softmax_s8_params;

/* exp_q12[d] = Rescale<12>(exp_on_negative_values(Q5 of -d)) for the input difference -d,
 * d = 0..255 (0 where -d < diff_min), computed at compile time by the op module. */
void mf_log_softmax_s8(const mf_log_softmax_s8_params *p, const int32_t *exp_q12,
                       const int8_t *input, int8_t *output);

#endif /* MF_LOG_SOFTMAX_S8_H */
