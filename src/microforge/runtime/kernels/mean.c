/* microforge runtime: MEAN (TFLite reference arithmetic: QuantizedMeanOrSum / Mean). */
#include "mean.h"

/* Advance an odometer over `rank` levels; returns 0 once every index wrapped around. */
static int32_t mf_mean_next(int32_t rank, const int32_t *count, const int32_t *stride,
                            int32_t *index, int32_t *offset) {
    int32_t k;
    for (k = rank - 1; k >= 0; --k) {
        *offset += stride[k];
        if (++index[k] < count[k]) {
            return 1;
        }
        *offset -= stride[k] * count[k];
        index[k] = 0;
    }
    return 0;
}

static void mf_mean_reset(int32_t *index) {
    int32_t k;
    for (k = 0; k < MF_MEAN_MAX_RANK; ++k) {
        index[k] = 0;
    }
}

void mf_mean_s8(const mf_mean_s8_params *p, const int8_t *input, int8_t *output) {
    const mf_mean_loops *l = &p->loops;
    int32_t outer_index[MF_MEAN_MAX_RANK];
    int32_t inner_index[MF_MEAN_MAX_RANK];
    int32_t base = 0;
    int32_t o = 0;
    mf_mean_reset(outer_index);
    do {
        int32_t acc = 0;
        int32_t offset = base;
        int32_t v;
        mf_mean_reset(inner_index);
        do {
            acc += (int32_t)input[offset];
        } while (mf_mean_next(l->inner_rank, l->inner_count, l->inner_stride, inner_index,
                              &offset));
        v = mf_multiply_by_quantized_multiplier(acc + p->bias, p->multiplier, p->shift);
        v = mf_add_wrap(v, p->output_zero_point);
        output[o++] = (int8_t)MF_CLAMP(v, -128, 127);
    } while (mf_mean_next(l->outer_rank, l->outer_count, l->outer_stride, outer_index, &base));
}

void mf_mean_f32(const mf_mean_f32_params *p, const float *input, float *output) {
    const mf_mean_loops *l = &p->loops;
    int32_t outer_index[MF_MEAN_MAX_RANK];
    int32_t inner_index[MF_MEAN_MAX_RANK];
    int32_t base = 0;
    int32_t o = 0;
    mf_mean_reset(outer_index);
    do {
        float acc = 0.0f;
        int32_t offset = base;
        mf_mean_reset(inner_index);
        do {
            acc += input[offset];
        } while (mf_mean_next(l->inner_rank, l->inner_count, l->inner_stride, inner_index,
                              &offset));
        output[o++] = acc / p->count;
    } while (mf_mean_next(l->outer_rank, l->outer_count, l->outer_stride, outer_index, &base));
}
