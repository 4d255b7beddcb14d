/* microforge runtime: int16 sigmoid and tanh as TFLite's integer kernels compute them
 * (reference_integer_ops::Logistic / Tanh for int16: a 256-entry table of sigmoid over
 * [0, 10.7) with linear interpolation, tanh(x) = 2 sigmoid(2x) - 1). Input Q3.12 after the
 * scaling x -> (x * multiplier + round) >> shift; output Q0.15. */
#ifndef MF_SIGMOID_TANH_S16_H
#define MF_SIGMOID_TANH_S16_H

#include "mf_common.h"

/* multiplier 0 means TFLite's power-of-two case: x * (3 << shift). Elementwise, in place ok. */
void mf_sigmoid_s16(int32_t size, int32_t multiplier, int32_t shift, const int16_t *input,
                    int16_t *output);
void mf_tanh_s16(int32_t size, int32_t multiplier, int32_t shift, const int16_t *input,
                 int16_t *output);

#endif /* MF_SIGMOID_TANH_S16_H */
