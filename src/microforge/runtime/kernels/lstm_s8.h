/* microforge runtime: int8 UNIDIRECTIONAL_SEQUENCE_LSTM with an int16 cell state, TFLM's
 * integer LSTM (lstm_eval.h with int8 activations, int8 weights, int32 biases). */
#ifndef MF_LSTM_S8_H
#define MF_LSTM_S8_H

#include "mf_common.h"

typedef struct {
    const int8_t *input_weights;     /* [state_dim][input_dim], zero point 0 */
    const int8_t *recurrent_weights; /* [state_dim][state_dim], zero point 0 */
    const int32_t *input_bias;       /* the gate's bias - input zero point x weight row sums */
    const int32_t *recurrent_bias;   /* - hidden zero point x recurrent weight row sums */
    int32_t input_multiplier;        /* both FCs requantize to the Q3.12 gate sum */
    int32_t input_shift;
    int32_t recurrent_multiplier;
    int32_t recurrent_shift;
} mf_lstm_s8_gate;

typedef struct {
    int32_t batches;
    int32_t steps;
    int32_t input_dim;
    int32_t state_dim;
    int32_t time_major;
    int32_t cell_tanh;          /* the cell gate's activation: 1 tanh, 0 sigmoid */
    mf_lstm_s8_gate gates[4];   /* input, forget, cell, output */
    int32_t forget_multiplier;  /* forget gate (Q0.15) x cell -> cell */
    int32_t forget_shift;
    int32_t input_multiplier;   /* input gate x cell gate (Q0.15 both) -> cell */
    int32_t input_shift;
    int32_t output_multiplier;  /* output gate x tanh(cell) -> hidden (int8) */
    int32_t output_shift;
    int32_t hidden_zero_point;
    int32_t cell_tanh_multiplier; /* tanh(cell): x -> (x * m + round) >> shift, Q3.12 */
    int32_t cell_tanh_shift;
    int32_t cell_clip;          /* quantized clip of the cell state, 0: none */
} mf_lstm_s8_params;

/* hidden: int8 [batches][state_dim], cell: int16 [batches][state_dim], both read and updated;
 * output: int8, one hidden state per step; scratch: 4 x (time_major ? batches : 1) x state_dim
 * int16. */
void mf_lstm_s8(const mf_lstm_s8_params *p, const int8_t *input, int8_t *hidden, int16_t *cell,
                int8_t *output, int16_t *scratch);

#endif /* MF_LSTM_S8_H */
