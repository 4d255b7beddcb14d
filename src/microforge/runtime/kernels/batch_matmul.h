/* microforge runtime: BATCH_MATMUL, out[b][m][n] = sum over k (ascending) of A[b][m][k] B[b][k][n],
 * with TFLite's batch broadcasting (3 batch dimensions after extension to rank 5) and adj_x /
 * adj_y folded into the element strides, all computed at compile time. */
#ifndef MF_BATCH_MATMUL_H
#define MF_BATCH_MATMUL_H

#include "mf_common.h"

typedef struct {
    int32_t batch[3];       /* output batch dimensions */
    int32_t lhs_batch[3];   /* element strides of each batch dimension (0: broadcast) */
    int32_t rhs_batch[3];
    int32_t rows, cols, depth;           /* M, N, K */
    int32_t lhs_row, lhs_depth;          /* A[m][k] = lhs[m * lhs_row + k * lhs_depth] */
    int32_t rhs_depth, rhs_col;          /* B[k][n] = rhs[k * rhs_depth + n * rhs_col] */
    /* int8 and int16 only (int16: offsets 0, TFLM requires zero points 0) */
    int32_t lhs_offset, rhs_offset, output_offset, multiplier, shift;
} mf_batch_matmul_params;

void mf_batch_matmul_f32(const mf_batch_matmul_params *p, const float *lhs, const float *rhs,
                         float *output);
void mf_batch_matmul_s8(const mf_batch_matmul_params *p, const int8_t *lhs, const int8_t *rhs,
                        int8_t *output);
/* int16 x int16 -> int16 (TFLM's BatchMatMul<int16_t, int64_t>): an int64 sum, TFLite's int64
 * MultiplyByQuantizedMultiplier (mf_requantize64.h), clamped to int16. */
void mf_batch_matmul_s16(const mf_batch_matmul_params *p, const int16_t *lhs,
                         const int16_t *rhs, int16_t *output);

#endif /* MF_BATCH_MATMUL_H */
