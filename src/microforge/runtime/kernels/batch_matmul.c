/* microforge runtime: BATCH_MATMUL (see batch_matmul.h). */
#include "batch_matmul.h"
#include "mf_requantize64.h"

void mf_batch_matmul_f32(const mf_batch_matmul_params *p, const float *lhs, const float *rhs,
                         float *output) {
    int32_t b0, b1, b2, m, n, k;
    for (b0 = 0; b0 < p->batch[0]; ++b0) {
        for (b1 = 0; b1 < p->batch[1]; ++b1) {
            for (b2 = 0; b2 < p->batch[2]; ++b2) {
                const float *a = lhs + b0 * p->lhs_batch[0] + b1 * p->lhs_batch[1] +
                                 b2 * p->lhs_batch[2];
                const float *b = rhs + b0 * p->rhs_batch[0] + b1 * p->rhs_batch[1] +
                                 b2 * p->rhs_batch[2];
                for (m = 0; m < p->rows; ++m) {
                    for (n = 0; n < p->cols; ++n) {
                        float total = 0.0f;
                        for (k = 0; k < p->depth; ++k) {
                            total += a[m * p->lhs_row + k * p->lhs_depth] *
                                     b[k * p->rhs_depth + n * p->rhs_col];
                        }
                        *output++ = total;
                    }
                }
            }
        }
    }
}

void mf_batch_matmul_s8(const mf_batch_matmul_params *p, const int8_t *lhs, const int8_t *rhs,
                        int8_t *output) {
    int32_t b0, b1, b2, m, n, k;
    for (b0 = 0; b0 < p->batch[0]; ++b0) {
        for (b1 = 0; b1 < p->batch[1]; ++b1) {
            for (b2 = 0; b2 < p->batch[2]; ++b2) {
                const int8_t *a = lhs + b0 * p->lhs_batch[0] + b1 * p->lhs_batch[1] +
                                  b2 * p->lhs_batch[2];
                const int8_t *b = rhs + b0 * p->rhs_batch[0] + b1 * p->rhs_batch[1] +
                                  b2 * p->rhs_batch[2];
                for (m = 0; m < p->rows; ++m) {
                    for (n = 0; n < p->cols; ++n) {
                        int32_t total = 0;
                        for (k = 0; k < p->depth; ++k) {
                            total += ((int32_t)a[m * p->lhs_row + k * p->lhs_depth] +
                                      p->lhs_offset) *
                                     ((int32_t)b[k * p->rhs_depth + n * p->rhs_col] +
                                      p->rhs_offset);
                        }
                        total = mf_multiply_by_quantized_multiplier(total, p->multiplier,
                                                                    (int)p->shift);
                        total += p->output_offset;
                        *output++ = (int8_t)MF_CLAMP(total, -128, 127);
                    }
                }
            }
        }
    }
}

void mf_batch_matmul_s16(const mf_batch_matmul_params *p, const int16_t *lhs,
                         const int16_t *rhs, int16_t *output) {
    int32_t b0, b1, b2, m, n, k;
    for (b0 = 0; b0 < p->batch[0]; ++b0) {
        for (b1 = 0; b1 < p->batch[1]; ++b1) {
            for (b2 = 0; b2 < p->batch[2]; ++b2) {
                const int16_t *a = lhs + b0 * p->lhs_batch[0] + b1 * p->lhs_batch[1] +
                                   b2 * p->lhs_batch[2];
                const int16_t *b = rhs + b0 * p->rhs_batch[0] + b1 * p->rhs_batch[1] +
                                   b2 * p->rhs_batch[2];
                for (m = 0; m < p->rows; ++m) {
                    for (n = 0; n < p->cols; ++n) {
                        int64_t total = 0;
                        int32_t scaled;
                        for (k = 0; k < p->depth; ++k) {
                            total += (int64_t)((int32_t)a[m * p->lhs_row + k * p->lhs_depth] *
                                               (int32_t)b[k * p->rhs_depth + n * p->rhs_col]);
                        }
                        scaled = mf_multiply_by_quantized_multiplier_s64(total, p->multiplier,
                                                                         (int)p->shift);
                        *output++ = (int16_t)MF_CLAMP(scaled, -32768, 32767);
                    }
                }
            }
        }
    }
}
