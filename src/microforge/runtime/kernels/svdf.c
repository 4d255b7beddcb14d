/* microforge runtime: SVDF (see svdf.h), TFLM's reference loops and rounding. */
#include <string.h>

#include "svdf.h"

void mf_svdf_f32(const mf_svdf_params *p, const float *input, const float *weights_feature,
                 const float *weights_time, const float *bias, float *state, float *output,
                 float *scratch) {
    const int32_t total = p->batches * p->filters * p->memory;
    int32_t b, f, k, u, r;
    if (total > 1) {
        memmove(state, state + 1, (size_t)(total - 1) * sizeof(float));
    }
    for (b = 0; b < p->batches; ++b) {
        for (f = 0; f < p->filters; ++f) {
            float dot = 0.0f;
            for (k = 0; k < p->inputs; ++k) {
                dot += weights_feature[f * p->inputs + k] * input[b * p->inputs + k];
            }
            state[(b * p->filters + f) * p->memory + p->memory - 1] = dot;
        }
    }
    for (b = 0; b < p->batches; ++b) {
        for (f = 0; f < p->filters; ++f) {
            float acc = 0.0f;
            for (k = 0; k < p->memory; ++k) {
                acc += weights_time[f * p->memory + k] *
                       state[(b * p->filters + f) * p->memory + k];
            }
            scratch[b * p->filters + f] = acc;
        }
    }
    for (b = 0; b < p->batches; ++b) {
        for (u = 0; u < p->units; ++u) {
            float v = bias != NULL ? bias[u] : 0.0f;
            for (r = 0; r < p->rank; ++r) {
                v += scratch[b * p->filters + u * p->rank + r];
            }
            v = v < p->act_min ? p->act_min : v;
            output[b * p->units + u] = v > p->act_max ? p->act_max : v;
        }
    }
}

/* The integer SVDF for one state type T (int16_t or int8_t), TFLM's EvalIntegerSvdfReference */
#define MF_SVDF_INTEGER_BODY(T, T_MIN, T_MAX)                                                  \
    const int32_t total = p->batches * p->filters * p->memory;                                 \
    int32_t *filter_sums = scratch;                                                            \
    int32_t *unit_sums = scratch + p->batches * p->filters;                                    \
    int32_t b, f, k, u, r, i;                                                                  \
    if (total > 1) {                                                                           \
        memmove(state, state + 1, (size_t)(total - 1) * sizeof(T));                            \
    }                                                                                          \
    for (b = 0; b < p->batches; ++b) {                                                         \
        for (f = 0; f < p->filters; ++f) {                                                     \
            int32_t dot = 0;                                                                   \
            for (k = 0; k < p->inputs; ++k) {                                                  \
                dot += (int32_t)weights_feature[f * p->inputs + k] *                           \
                       ((int32_t)input[b * p->inputs + k] - p->input_zero_point);              \
            }                                                                                  \
            dot = mf_multiply_by_quantized_multiplier(dot, p->multiplier1, (int)p->shift1);   \
            dot = MF_CLAMP(dot, T_MIN, T_MAX);                                                 \
            state[(b * p->filters + f) * p->memory + p->memory - 1] =                          \
                (T)(p->state_zero_point + dot);                                                \
        }                                                                                      \
    }                                                                                          \
    for (b = 0; b < p->batches; ++b) {                                                         \
        for (f = 0; f < p->filters; ++f) {                                                     \
            int32_t acc = 0;                                                                   \
            for (k = 0; k < p->memory; ++k) {                                                  \
                acc += (int32_t)weights_time[f * p->memory + k] *                              \
                       ((int32_t)state[(b * p->filters + f) * p->memory + k] -                 \
                        p->state_zero_point);                                                  \
            }                                                                                  \
            filter_sums[b * p->filters + f] = acc;                                             \
        }                                                                                      \
    }                                                                                          \
    for (b = 0; b < p->batches; ++b) {                                                         \
        for (u = 0; u < p->units; ++u) {                                                       \
            int32_t v = bias[u];                                                               \
            for (r = 0; r < p->rank; ++r) {                                                    \
                v += filter_sums[b * p->filters + u * p->rank + r];                            \
            }                                                                                  \
            unit_sums[b * p->units + u] = v;                                                   \
        }                                                                                      \
    }                                                                                          \
    for (i = 0; i < p->batches * p->units; ++i) {                                              \
        const int32_t v = mf_multiply_by_quantized_multiplier(unit_sums[i], p->multiplier2,    \
                                                              (int)p->shift2) +                \
                          p->output_zero_point;                                                \
        output[i] = (int8_t)MF_CLAMP(v, -128, 127);                                            \
    }

void mf_svdf_s8_s16(const mf_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                    const int16_t *weights_time, const int32_t *bias, int16_t *state,
                    int8_t *output, int32_t *scratch) {
    MF_SVDF_INTEGER_BODY(int16_t, -32768, 32767)
}

void mf_svdf_s8_s8(const mf_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                   const int8_t *weights_time, const int32_t *bias, int8_t *state,
                   int8_t *output, int32_t *scratch) {
    MF_SVDF_INTEGER_BODY(int8_t, -128, 127)
}
