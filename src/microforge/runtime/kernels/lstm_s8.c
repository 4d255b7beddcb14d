/* microforge runtime: int8 LSTM (see lstm_s8.h). Every rounding step is TFLM's: the two fully
 * connected layers of a gate each requantized to int16 and clamped, their saturating sum, the
 * int16 sigmoid/tanh, MulElementwise with MultiplyByQuantizedMultiplier, a saturating cell
 * update, the clip. */
#include <string.h>

#include "lstm_s8.h"
#include "mf_requantize.h"
#include "sigmoid_tanh_s16.h"

static int16_t mf_lstm_sat16(int32_t v) {
    return (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
}

/* one fully connected layer to int16 (bias folded with the input offset, TFLM's order) */
static void mf_lstm_s8_fc(int32_t rows, int32_t in_dim, int32_t out_dim, const int8_t *x,
                          const int8_t *w, const int32_t *bias, int32_t multiplier,
                          int32_t shift, int16_t *out) {
    int32_t r, o, d;
    for (r = 0; r < rows; ++r) {
        const int8_t *xr = x + r * in_dim;
        for (o = 0; o < out_dim; ++o) {
            const int8_t *wo = w + o * in_dim;
            int32_t acc = bias[o];
            for (d = 0; d < in_dim; ++d) {
                acc += (int32_t)wo[d] * (int32_t)xr[d];
            }
            out[r * out_dim + o] = mf_lstm_sat16(mf_requantize(acc, multiplier, (int)shift));
        }
    }
}

static void mf_lstm_s8_gate_out(const mf_lstm_s8_params *p, const mf_lstm_s8_gate *g,
                                int32_t rows, const int8_t *x, const int8_t *h, int sigmoid,
                                int16_t *out, int16_t *fc_buffer) {
    const int32_t n = rows * p->state_dim;
    int32_t i;
    mf_lstm_s8_fc(rows, p->input_dim, p->state_dim, x, g->input_weights, g->input_bias,
                  g->input_multiplier, g->input_shift, out);
    mf_lstm_s8_fc(rows, p->state_dim, p->state_dim, h, g->recurrent_weights, g->recurrent_bias,
                  g->recurrent_multiplier, g->recurrent_shift, fc_buffer);
    for (i = 0; i < n; ++i) {
        out[i] = mf_lstm_sat16((int32_t)out[i] + (int32_t)fc_buffer[i]);
    }
    if (sigmoid) {
        mf_sigmoid_s16(n, 0, 0, out, out);
    } else {
        mf_tanh_s16(n, 0, 0, out, out);  /* Q3.12 in: TFLM's Tanh(-12), no shift */
    }
}

static int32_t mf_lstm_mul(int32_t a, int32_t b, int32_t multiplier, int32_t shift) {
    return mf_requantize(a * b, multiplier, (int)shift);
}

static void mf_lstm_s8_step(const mf_lstm_s8_params *p, int32_t rows, const int8_t *x,
                            int8_t *h, int16_t *c, int8_t *out, int16_t *scratch) {
    const int32_t n = rows * p->state_dim;
    int16_t *forget = scratch;
    int16_t *input_gate = scratch + n;
    int16_t *cell_gate = scratch + 2 * n;
    int16_t *buffer = scratch + 3 * n;
    int32_t i;
    mf_lstm_s8_gate_out(p, &p->gates[1], rows, x, h, 1, forget, buffer);
    mf_lstm_s8_gate_out(p, &p->gates[0], rows, x, h, 1, input_gate, buffer);
    mf_lstm_s8_gate_out(p, &p->gates[2], rows, x, h, !p->cell_tanh, cell_gate, buffer);
    for (i = 0; i < n; ++i) {
        const int16_t kept = mf_lstm_sat16(mf_lstm_mul(forget[i], c[i], p->forget_multiplier,
                                                       p->forget_shift));
        const int16_t added = mf_lstm_sat16(mf_lstm_mul(input_gate[i], cell_gate[i],
                                                        p->input_multiplier, p->input_shift));
        int16_t updated = mf_lstm_sat16((int32_t)kept + (int32_t)added);
        if (p->cell_clip > 0) {
            updated = updated > p->cell_clip ? (int16_t)p->cell_clip : updated;
            updated = updated < -p->cell_clip ? (int16_t)-p->cell_clip : updated;
        }
        c[i] = updated;
    }
    /* the output gate reuses the input gate's buffer, tanh(cell) the forget gate's */
    mf_lstm_s8_gate_out(p, &p->gates[3], rows, x, h, 1, input_gate, buffer);
    mf_tanh_s16(n, p->cell_tanh_multiplier, p->cell_tanh_shift, c, forget);
    for (i = 0; i < n; ++i) {
        int32_t v = p->hidden_zero_point + mf_lstm_mul(forget[i], input_gate[i],
                                                       p->output_multiplier, p->output_shift);
        v = v > 127 ? 127 : (v < -128 ? -128 : v);
        h[i] = (int8_t)v;
    }
    memcpy(out, h, (size_t)n);
}

void mf_lstm_s8(const mf_lstm_s8_params *p, const int8_t *input, int8_t *hidden, int16_t *cell,
                int8_t *output, int16_t *scratch) {
    int32_t b, t;
    if (p->time_major) {
        const int32_t rows = p->batches;
        for (t = 0; t < p->steps; ++t) {
            mf_lstm_s8_step(p, rows, input + t * rows * p->input_dim, hidden, cell,
                            output + t * rows * p->state_dim, scratch);
        }
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        for (t = 0; t < p->steps; ++t) {
            const int32_t row = b * p->steps + t;
            mf_lstm_s8_step(p, 1, input + row * p->input_dim, hidden + b * p->state_dim,
                            cell + b * p->state_dim, output + row * p->state_dim, scratch);
        }
    }
}
