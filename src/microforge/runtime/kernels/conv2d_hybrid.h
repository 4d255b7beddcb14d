/* microforge runtime: CONV_2D hybrid: float32 activations, int8 weights. The input image is
 * quantized per batch at run time, as TFLite's reference hybrid kernels do. */
#ifndef MF_CONV2D_HYBRID_H
#define MF_CONV2D_HYBRID_H

#include <stdint.h>

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t filter_h, filter_w, filter_in_c;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t per_channel;       /* 1: asymmetric input, one weight scale per output channel */
    const float *weight_scale; /* out_c values, or 1 */
    float act_min, act_max;
} mf_conv2d_hybrid_params;

/* bias may be NULL; scratch holds in_h * in_w * in_c bytes (the quantized input image). */
void mf_conv2d_hybrid(const mf_conv2d_hybrid_params *p, const float *input, const int8_t *filter,
                      const float *bias, float *output, int8_t *scratch);

/* Bytes of scratch (the quantized input image). */
int32_t mf_conv2d_hybrid_scratch_bytes(const mf_conv2d_hybrid_params *p);

#endif /* MF_CONV2D_HYBRID_H */
