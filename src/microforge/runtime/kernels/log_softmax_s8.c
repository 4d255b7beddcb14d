/* microforge runtime: LOG_SOFTMAX int8. */
#include "log_softmax_s8.h"
#include "gemmlowp_fixedpoint.h"

void mf_log_softmax_s8(const mf_log_softmax_s8_params *p, const int32_t *exp_q12,
                       const int8_t *input, int8_t *output) {
    int32_t r, c;
    for (r = 0; r < p->rows; ++r) {
        const int8_t *in = input + (size_t)r * (size_t)p->depth;
        int8_t *out = output + (size_t)r * (size_t)p->depth;
        int32_t max_in_row = -128;
        int32_t sum_of_exps = 0; /* Q12.19 */
        int32_t log_sum_q5, adjusted_diff_min;
        for (c = 0; c < p->depth; ++c) {
            max_in_row = MF_MAX(max_in_row, (int32_t)in[c]);
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                sum_of_exps = mf_add_wrap(sum_of_exps, exp_q12[-diff]);
            }
        }
        log_sum_q5 = mf_gl_log_x_ge_1(sum_of_exps, 12, 5);
        adjusted_diff_min = MF_MAX(p->diff_min - 1, mf_multiply_by_quantized_multiplier(
            mf_add_wrap(log_sum_q5, INT32_MIN), p->reverse_scaling_divisor,
            p->reverse_scaling_left_shift));
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff > adjusted_diff_min) {
                const int32_t diff_q5 = mf_multiply_by_quantized_multiplier(
                    diff, p->input_multiplier, p->input_left_shift);
                const int32_t value = mf_add_wrap(mf_rounding_divide_by_pot(
                    mf_gl_sub_wrap(diff_q5, log_sum_q5), 31 - 5 - 4), 127);
                out[c] = (int8_t)MF_CLAMP(value, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
