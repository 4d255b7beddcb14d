/* microforge runtime: ADD and SUB with int16 activations (16x8), TFLite broadcasting and fused
 * activation. */
#ifndef MF_ADD_SUB_S16_H
#define MF_ADD_SUB_S16_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    int32_t subtract;          /* 0: ADD, 1: SUB */
    int32_t input1_offset;     /* -input1 zero point */
    int32_t input2_offset;     /* -input2 zero point */
    int32_t left_shift;        /* 15 for int16, as TFLite */
    int32_t input1_multiplier;
    int32_t input1_shift;      /* <= 0 */
    int32_t input2_multiplier;
    int32_t input2_shift;      /* <= 0 */
    int32_t output_multiplier;
    int32_t output_shift;      /* <= 0 */
    int32_t output_offset;     /* output zero point */
    int32_t act_min;
    int32_t act_max;
} mf_add_sub_s16_params;

/* TFLM's int16 ADD/SUB (its general-scale path): both inputs rescaled to a common scale
 * (x << 15, times a multiplier < 1; 65535 << 15 fits int32), added or subtracted, then
 * rescaled to the output. */
void mf_add_sub_s16(const mf_add_sub_s16_params *p, const int16_t *input1,
                    const int16_t *input2, int16_t *output);

#endif /* MF_ADD_SUB_S16_H */
