/* microforge runtime: FULLY_CONNECTED hybrid: float32 activations, int8 weights (dynamic-range
 * quantization). The input is quantized per batch row at run time, as TFLite's reference. */
#ifndef MF_FULLY_CONNECTED_HYBRID_H
#define MF_FULLY_CONNECTED_HYBRID_H

#include <stdint.h>

typedef struct {
    int32_t batches;
    int32_t in_depth;
    int32_t out_depth;
    int32_t asymmetric;        /* 1: asymmetric input quantization (zero point), 0: symmetric */
    int32_t per_channel;       /* 1: one weight scale per output unit */
    const float *weight_scale; /* out_depth values, or 1 */
    const int32_t *row_sums;   /* sum of each weight row (asymmetric only) */
    float act_min;
    float act_max;
} mf_fully_connected_hybrid_params;

/* bias may be NULL; scratch holds in_depth bytes (the quantized input row). */
void mf_fully_connected_hybrid(const mf_fully_connected_hybrid_params *p, const float *input,
                               const int8_t *weights, const float *bias, float *output,
                               int8_t *scratch);

/* Bytes of scratch (the quantized input row). */
int32_t mf_fully_connected_hybrid_scratch_bytes(const mf_fully_connected_hybrid_params *p);

#endif /* MF_FULLY_CONNECTED_HYBRID_H */
