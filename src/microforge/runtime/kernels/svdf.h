/* microforge runtime: SVDF (TFLM's svdf_common.cc): the state [batch][filters][memory] shifts
 * by one, the new column is the feature projection of the input, each filter is the dot product
 * of its time weights with its memory, each unit sums its rank filters, plus bias. float32, and
 * int8 input/output with an int16 or int8 state and time weights. */
#ifndef MF_SVDF_H
#define MF_SVDF_H

#include "mf_common.h"

typedef struct {
    int32_t batches, inputs, filters, units, rank, memory;
    float act_min, act_max;  /* float32: the fused activation (NONE/RELU/RELU6/RELU_N1_TO_1) */
    /* int8 */
    int32_t input_zero_point, state_zero_point, output_zero_point;
    int32_t multiplier1, shift1;  /* input x feature weights -> state */
    int32_t multiplier2, shift2;  /* state x time weights -> output */
} mf_svdf_params;

/* scratch: batches x filters */
void mf_svdf_f32(const mf_svdf_params *p, const float *input, const float *weights_feature,
                 const float *weights_time, const float *bias, float *state, float *output,
                 float *scratch);
/* scratch: batches x (filters + units) int32; bias required (as TFLM) */
void mf_svdf_s8_s16(const mf_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                    const int16_t *weights_time, const int32_t *bias, int16_t *state,
                    int8_t *output, int32_t *scratch);
void mf_svdf_s8_s8(const mf_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                   const int8_t *weights_time, const int32_t *bias, int8_t *state,
                   int8_t *output, int32_t *scratch);

#endif /* MF_SVDF_H */
