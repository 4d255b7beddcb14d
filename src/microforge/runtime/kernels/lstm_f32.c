/* microforge runtime: float32 LSTM (see lstm_f32.h). The operations and their order are
 * TFLM's: each gate is FC(input) + FC(hidden), then its activation; the cell update and the
 * hidden state as in lstm_internal::UpdateLstmCell / UpdateLstmHidden. */
#include <float.h>
#include <string.h>

#include "fully_connected_f32.h"
#include "logistic_tanh_f32.h"
#include "lstm_f32.h"

static void mf_lstm_f32_gate_out(const mf_lstm_f32_params *p, const mf_lstm_f32_gate *g,
                                 int32_t rows, const float *x, const float *h, int sigmoid,
                                 float *out, float *fc_buffer) {
    const mf_fully_connected_f32_params input_fc = {rows, p->input_dim, p->state_dim, -FLT_MAX,
                                                    FLT_MAX};
    const mf_fully_connected_f32_params recurrent_fc = {rows, p->state_dim, p->state_dim,
                                                        -FLT_MAX, FLT_MAX};
    const int32_t n = rows * p->state_dim;
    int32_t i;
    mf_fully_connected_f32(&input_fc, x, g->input_weights, g->bias, out);
    mf_fully_connected_f32(&recurrent_fc, h, g->recurrent_weights, NULL, fc_buffer);
    for (i = 0; i < n; ++i) {
        out[i] = out[i] + fc_buffer[i];
    }
    if (sigmoid) {
        mf_logistic_f32(n, out, out);
    } else {
        mf_tanh_f32(n, out, out);
    }
}

static void mf_lstm_f32_step(const mf_lstm_f32_params *p, int32_t rows, const float *x,
                             float *h, float *c, float *out, float *scratch) {
    const int32_t n = rows * p->state_dim;
    float *forget = scratch;
    float *input_gate = scratch + n;
    float *cell_gate = scratch + 2 * n;
    float *buffer = scratch + 3 * n;
    int32_t i;
    mf_lstm_f32_gate_out(p, &p->gates[1], rows, x, h, 1, forget, buffer);
    mf_lstm_f32_gate_out(p, &p->gates[0], rows, x, h, 1, input_gate, buffer);
    mf_lstm_f32_gate_out(p, &p->gates[2], rows, x, h, !p->cell_tanh, cell_gate, buffer);
    for (i = 0; i < n; ++i) {
        c[i] = forget[i] * c[i];
        input_gate[i] = input_gate[i] * cell_gate[i];
        c[i] = c[i] + input_gate[i];
        if (p->cell_clip > 0.0f) {
            c[i] = c[i] > p->cell_clip ? p->cell_clip : c[i];
            c[i] = c[i] < -p->cell_clip ? -p->cell_clip : c[i];
        }
    }
    /* the output gate reuses the input gate's buffer, tanh(cell) the forget gate's */
    mf_lstm_f32_gate_out(p, &p->gates[3], rows, x, h, 1, input_gate, buffer);
    mf_tanh_f32(n, c, forget);
    for (i = 0; i < n; ++i) {
        h[i] = forget[i] * input_gate[i];
    }
    memcpy(out, h, (size_t)n * sizeof(float));
}

void mf_lstm_f32(const mf_lstm_f32_params *p, const float *input, float *hidden, float *cell,
                 float *output, float *scratch) {
    int32_t b, t;
    if (p->time_major) {
        const int32_t rows = p->batches;
        for (t = 0; t < p->steps; ++t) {
            mf_lstm_f32_step(p, rows, input + t * rows * p->input_dim, hidden, cell,
                             output + t * rows * p->state_dim, scratch);
        }
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        for (t = 0; t < p->steps; ++t) {
            const int32_t row = b * p->steps + t;
            mf_lstm_f32_step(p, 1, input + row * p->input_dim, hidden + b * p->state_dim,
                             cell + b * p->state_dim, output + row * p->state_dim, scratch);
        }
    }
}
