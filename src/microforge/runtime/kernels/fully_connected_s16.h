/* microforge runtime: FULLY_CONNECTED with int16 activations and int8 weights (TFLite's 16x8
 * scheme), as TFLite's reference_integer_ops::FullyConnected(PerChannel) for int16. */
#ifndef MF_FULLY_CONNECTED_S16_H
#define MF_FULLY_CONNECTED_S16_H

#include "mf_common.h"

typedef struct {
    int32_t batches;
    int32_t in_depth;
    int32_t out_depth;
    int32_t filter_offset;    /* -weights zero point (per-tensor weights only) */
    int32_t output_offset;    /* output zero point */
    int32_t per_channel;      /* 1: one multiplier/shift per output unit, 0: one for all */
    int32_t acc32;            /* 1: TFLite's int32 accumulator (int32 bias) and int32 rescale */
    const int32_t *multiplier;
    const int8_t *shift;
    int32_t act_min;
    int32_t act_max;
} mf_fully_connected_s16_params;

/* bias_folded[c] = bias[c] + input_offset * sum_d(weights[c][d] + filter_offset), computed at
 * compile time (int64: exact), so the inner loop is a dot product. The accumulator is int64
 * and rescaled with TFLite's int64 MultiplyByQuantizedMultiplier, or (acc32) int32 and its
 * int32 one; the op module checks that no accumulator leaves the range TFLite assumes. */
void mf_fully_connected_s16(const mf_fully_connected_s16_params *p, const int16_t *input,
                            const int8_t *weights, const int64_t *bias_folded, int16_t *output);

#endif /* MF_FULLY_CONNECTED_S16_H */
