/* microforge runtime: float32 UNIDIRECTIONAL_SEQUENCE_LSTM, the step of TFLM's lstm_eval.h. */
#ifndef MF_LSTM_F32_H
#define MF_LSTM_F32_H

#include "mf_common.h"

typedef struct {
    const float *input_weights;     /* [state_dim][input_dim] */
    const float *recurrent_weights; /* [state_dim][state_dim] */
    const float *bias;              /* [state_dim] */
} mf_lstm_f32_gate;

typedef struct {
    int32_t batches;
    int32_t steps;
    int32_t input_dim;
    int32_t state_dim;
    int32_t time_major;  /* input [steps][batches][input_dim], else [batches][steps][...] */
    int32_t cell_tanh;   /* the cell gate's activation: 1 tanh, 0 sigmoid */
    float cell_clip;     /* > 0: the cell state is clipped to [-clip, clip] */
    mf_lstm_f32_gate gates[4]; /* input, forget, cell, output */
} mf_lstm_f32_params;

/* hidden, cell: [batches][state_dim], read and updated (the op's state); output: one hidden
 * state per step, shaped as the input; scratch: 4 x (time_major ? batches : 1) x state_dim. */
void mf_lstm_f32(const mf_lstm_f32_params *p, const float *input, float *hidden, float *cell,
                 float *output, float *scratch);

#endif /* MF_LSTM_F32_H */
