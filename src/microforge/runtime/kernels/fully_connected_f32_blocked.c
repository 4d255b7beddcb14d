/* microforge runtime: FULLY_CONNECTED float32, weights blocked by output unit. */
#include <stddef.h>
#include <string.h>
#include "mf_common.h"
#include "fully_connected_f32_blocked.h"

/* acc[j] = sum over d in order of in[d] * w[d * 8 + j]: 8 units side by side, each one a
 * plain sequential float sum (lane-wise IEEE operations: the same result as one at a time). */
#if defined(__GNUC__) && (defined(__SSE__) || defined(__ARM_NEON)) \
    && !defined(MF_NO_VECTOR_EXTENSIONS)
/* hosts with 4-float SIMD: GCC vector extensions, one unit per lane */
typedef float mf_fcb_v4 __attribute__((vector_size(16)));

static void mf_fcb_f32_block(const float *in, const float *w, int32_t n, float *acc) {
    mf_fcb_v4 lo = {0.0f, 0.0f, 0.0f, 0.0f}, hi = lo, w_lo, w_hi;
    int32_t d;
    for (d = 0; d < n; ++d, w += MF_FC_F32_BLOCK) {
        const float v = in[d];
        const mf_fcb_v4 vv = {v, v, v, v};
        memcpy(&w_lo, w, sizeof w_lo);
        memcpy(&w_hi, w + 4, sizeof w_hi);
        lo += vv * w_lo;
        hi += vv * w_hi;
    }
    memcpy(acc, &lo, sizeof lo);
    memcpy(acc + 4, &hi, sizeof hi);
}

/* Two blocks at once (16 units): four independent vector sums hide the add latency. */
#define MF_FCB_F32_PAIRS 1
static void mf_fcb_f32_pair(const float *in, const float *w0, const float *w1, int32_t n,
                            float *acc) {
    mf_fcb_v4 a0 = {0.0f, 0.0f, 0.0f, 0.0f}, a1 = a0, a2 = a0, a3 = a0, x0, x1, x2, x3;
    int32_t d;
    for (d = 0; d < n; ++d, w0 += MF_FC_F32_BLOCK, w1 += MF_FC_F32_BLOCK) {
        const float v = in[d];
        const mf_fcb_v4 vv = {v, v, v, v};
        memcpy(&x0, w0, sizeof x0);
        memcpy(&x1, w0 + 4, sizeof x1);
        memcpy(&x2, w1, sizeof x2);
        memcpy(&x3, w1 + 4, sizeof x3);
        a0 += vv * x0;
        a1 += vv * x1;
        a2 += vv * x2;
        a3 += vv * x3;
    }
    memcpy(acc, &a0, sizeof a0);
    memcpy(acc + 4, &a1, sizeof a1);
    memcpy(acc + 8, &a2, sizeof a2);
    memcpy(acc + 12, &a3, sizeof a3);
}
#else
/* no 4-float SIMD (Cortex-M): eight scalar accumulators held in FPU registers */
static void mf_fcb_f32_block(const float *in, const float *w, int32_t n, float *acc) {
    float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f, a4 = 0.0f, a5 = 0.0f, a6 = 0.0f;
    float a7 = 0.0f;
    int32_t d;
    for (d = 0; d < n; ++d, w += MF_FC_F32_BLOCK) {
        const float v = in[d];
        a0 += v * w[0];
        a1 += v * w[1];
        a2 += v * w[2];
        a3 += v * w[3];
        a4 += v * w[4];
        a5 += v * w[5];
        a6 += v * w[6];
        a7 += v * w[7];
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    acc[4] = a4;
    acc[5] = a5;
    acc[6] = a6;
    acc[7] = a7;
}
#endif

void mf_fully_connected_f32_blocked(const mf_fully_connected_f32_params *p, const float *input,
                                    const float *blocked, const float *bias, float *output) {
    const int32_t n = p->in_depth;
    const int32_t blocks = p->out_depth / MF_FC_F32_BLOCK;
    const float *rest = blocked + (size_t)blocks * MF_FC_F32_BLOCK * (size_t)n;
    int32_t b, k, c, d, j;
    for (b = 0; b < p->batches; ++b) {
        const float *in = input + (size_t)b * (size_t)n;
        float *out = output + (size_t)b * (size_t)p->out_depth;
        k = 0;
#ifdef MF_FCB_F32_PAIRS
        for (; k + 2 <= blocks; k += 2) {
            const float *w = blocked + (size_t)k * MF_FC_F32_BLOCK * (size_t)n;
            float acc[2 * MF_FC_F32_BLOCK];
            mf_fcb_f32_pair(in, w, w + MF_FC_F32_BLOCK * (size_t)n, n, acc);
            for (j = 0; j < 2 * MF_FC_F32_BLOCK; ++j) {
                c = k * MF_FC_F32_BLOCK + j;
                out[c] = mf_bias_clamp_f32(acc[j], bias, c, p->act_min, p->act_max);
            }
        }
#endif
        for (; k < blocks; ++k) {
            const float *w = blocked + (size_t)k * MF_FC_F32_BLOCK * (size_t)n;
            float acc[MF_FC_F32_BLOCK];
            mf_fcb_f32_block(in, w, n, acc);
            for (j = 0; j < MF_FC_F32_BLOCK; ++j) {
                c = k * MF_FC_F32_BLOCK + j;
                out[c] = mf_bias_clamp_f32(acc[j], bias, c, p->act_min, p->act_max);
            }
        }
        for (c = blocks * MF_FC_F32_BLOCK; c < p->out_depth; ++c) {
            const float *w = rest + (size_t)(c - blocks * MF_FC_F32_BLOCK) * (size_t)n;
            float total = 0.0f;
            for (d = 0; d < n; ++d) {
                total += in[d] * w[d];
            }
            out[c] = mf_bias_clamp_f32(total, bias, c, p->act_min, p->act_max);
        }
    }
}
