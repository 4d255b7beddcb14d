/* microforge runtime: TRANSPOSE_CONV (see transpose_conv.h), TFLite's loop order. */
#include "transpose_conv.h"
#include "mf_requantize64.h"

#define MF_TC_OUT(p, b, y, x, c) ((((b) * (p)->out_h + (y)) * (p)->out_w + (x)) * (p)->out_c + (c))
#define MF_TC_IN(p, b, y, x, c) ((((b) * (p)->in_h + (y)) * (p)->in_w + (x)) * (p)->in_c + (c))
#define MF_TC_W(p, o, y, x, c) ((((o) * (p)->filter_h + (y)) * (p)->filter_w + (x)) * (p)->in_c + (c))

void mf_transpose_conv_f32(const mf_transpose_conv_f32_params *p, const float *input,
                           const float *weights, const float *bias, float *output) {
    const int32_t n = p->batches * p->out_h * p->out_w * p->out_c;
    int32_t i, b, iy, ix, ic, fy, fx, oc;
    for (i = 0; i < n; ++i) {
        output[i] = 0.0f;
    }
    for (b = 0; b < p->batches; ++b) {
        for (iy = 0; iy < p->in_h; ++iy) {
            for (ix = 0; ix < p->in_w; ++ix) {
                for (ic = 0; ic < p->in_c; ++ic) {
                    const float v = input[MF_TC_IN(p, b, iy, ix, ic)];
                    for (fy = 0; fy < p->filter_h; ++fy) {
                        const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                        for (fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                            if (oy < 0 || oy >= p->out_h || ox < 0 || ox >= p->out_w) {
                                continue;
                            }
                            for (oc = 0; oc < p->out_c; ++oc) {
                                output[MF_TC_OUT(p, b, oy, ox, oc)] +=
                                    v * weights[MF_TC_W(p, oc, fy, fx, ic)];
                            }
                        }
                    }
                }
            }
        }
    }
    for (i = 0; i < n; ++i) {
        float acc = output[i];
        if (bias != NULL) {
            acc += bias[i % p->out_c];
        }
        acc = acc < p->act_min ? p->act_min : acc;
        output[i] = acc > p->act_max ? p->act_max : acc;
    }
}

void mf_transpose_conv_s8(const mf_transpose_conv_s8_params *p, const int8_t *input,
                          const int8_t *weights, const int32_t *bias, int8_t *output,
                          int32_t *scratch) {
    const int32_t n = p->batches * p->out_h * p->out_w * p->out_c;
    int32_t i, b, iy, ix, ic, fy, fx, oc;
    for (i = 0; i < n; ++i) {
        scratch[i] = 0;
    }
    for (b = 0; b < p->batches; ++b) {
        for (iy = 0; iy < p->in_h; ++iy) {
            for (ix = 0; ix < p->in_w; ++ix) {
                for (ic = 0; ic < p->in_c; ++ic) {
                    const int32_t v = (int32_t)input[MF_TC_IN(p, b, iy, ix, ic)] + p->input_offset;
                    for (fy = 0; fy < p->filter_h; ++fy) {
                        const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                        for (fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                            if (oy < 0 || oy >= p->out_h || ox < 0 || ox >= p->out_w) {
                                continue;
                            }
                            for (oc = 0; oc < p->out_c; ++oc) {
                                scratch[MF_TC_OUT(p, b, oy, ox, oc)] +=
                                    v * (int32_t)weights[MF_TC_W(p, oc, fy, fx, ic)];
                            }
                        }
                    }
                }
            }
        }
    }
    for (i = 0; i < n; ++i) {
        const int32_t c = i % p->out_c;
        int32_t acc = scratch[i] + (bias != NULL ? bias[c] : 0);
        acc = mf_multiply_by_quantized_multiplier(acc, p->multiplier[c], p->shift[c]);
        acc += p->output_offset;
        acc = acc < p->act_min ? p->act_min : acc;
        output[i] = (int8_t)(acc > p->act_max ? p->act_max : acc);
    }
}

int32_t mf_transpose_conv_s16_scratch_bytes(const mf_transpose_conv_s8_params *p) {
    return p->batches * p->out_h * p->out_w * p->out_c * (int32_t)sizeof(int64_t);
}

void mf_transpose_conv_s16(const mf_transpose_conv_s8_params *p, const int16_t *input,
                           const int8_t *weights, const int64_t *bias, int16_t *output,
                           int64_t *scratch) {
    const int32_t n = p->batches * p->out_h * p->out_w * p->out_c;
    int32_t i, b, iy, ix, ic, fy, fx, oc;
    for (i = 0; i < n; ++i) {
        scratch[i] = 0;
    }
    for (b = 0; b < p->batches; ++b) {
        for (iy = 0; iy < p->in_h; ++iy) {
            for (ix = 0; ix < p->in_w; ++ix) {
                for (ic = 0; ic < p->in_c; ++ic) {
                    const int32_t v = (int32_t)input[MF_TC_IN(p, b, iy, ix, ic)];
                    for (fy = 0; fy < p->filter_h; ++fy) {
                        const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                        for (fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                            if (oy < 0 || oy >= p->out_h || ox < 0 || ox >= p->out_w) {
                                continue;
                            }
                            for (oc = 0; oc < p->out_c; ++oc) {
                                scratch[MF_TC_OUT(p, b, oy, ox, oc)] +=
                                    (int64_t)(v * (int32_t)weights[MF_TC_W(p, oc, fy, fx, ic)]);
                            }
                        }
                    }
                }
            }
        }
    }
    for (i = 0; i < n; ++i) {
        const int32_t c = i % p->out_c;
        const int64_t acc = scratch[i] + (bias != NULL ? bias[c] : 0);
        int32_t scaled = mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[c],
                                                                 p->shift[c]);
        scaled = scaled < p->act_min ? p->act_min : scaled;
        output[i] = (int16_t)(scaled > p->act_max ? p->act_max : scaled);
    }
}
