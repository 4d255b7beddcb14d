/* microforge runtime: CONV_2D int8 (TFLite reference arithmetic, bit-exact). */
#include "conv2d_s8.h"
#include "mf_requantize.h"
#include "mf_simd32.h"

static int32_t mf_conv_requantize(const mf_conv2d_s8_params *p, int32_t acc, int32_t oc) {
    acc = mf_requantize(acc, p->multiplier[oc], p->shift[oc]);
    acc = mf_add_wrap(acc, p->output_offset);
    return MF_CLAMP(acc, p->act_min, p->act_max);
}

#if MF_SIMD32
/* out[j] = the requantized acc[j] of channel oc + j, j < n (the parameters loaded once). */
static __attribute__((noinline)) void mf_conv_requantize_n(const mf_conv2d_s8_params *p,
                                                        const int32_t *acc, int32_t oc,
                                 int32_t n, int8_t *out) {
    const int32_t *mul = p->multiplier + oc;
    const int8_t *sh = p->shift + oc;
    const int32_t oo = p->output_offset, lo = p->act_min, hi = p->act_max;
    int32_t j;
    for (j = 0; j < n; ++j) {
        const int32_t v = mf_add_wrap(mf_requantize(acc[j], mul[j], sh[j]), oo);
        out[j] = (int8_t)MF_CLAMP(v, lo, hi);
    }
}
#endif

#if MF_SIMD32
#define MF_CONV_PATCH_MAX 64 /* filter_h * filter_w * in_c of the patch path (stack: 128 B) */

/* Small filters over few channels (e.g. the first layer of an audio or image model): the whole
 * receptive field of one output pixel is gathered once into a patch (padding = the input zero
 * point, so it adds 0), widened with the input offset to int16 pairs (even and odd bytes, as
 * SXTB16 splits a filter word), and each pair of output channels is a dot product of the patch
 * with two contiguous filter rows: per 8 MACs 2 patch loads, 2 filter loads, 4 SXTB16, 4 SMLAD.
 * The sums are the same integers as the portable loops'. */
static void mf_conv_pixels_patch(const mf_conv2d_s8_params *p, const int8_t *in_b,
                                 const int8_t *filter, const int32_t *bias, int32_t oy,
                                 int32_t ox0, int32_t ox1, int8_t *output) {
    const int32_t in_c = p->in_c;
    const int32_t f_row = p->filter_w * in_c;
    const int32_t len = p->filter_h * f_row;
    const int32_t words = len >> 2;
    const uint32_t io16 = (uint32_t)(uint16_t)p->input_offset;
    const int16x2_t io2 = (int16x2_t)(io16 | (io16 << 16));
    const int8_t zero_point = (int8_t)(-p->input_offset);
    int8_t patch[MF_CONV_PATCH_MAX];
    int16x2_t even[MF_CONV_PATCH_MAX / 4], odd[MF_CONV_PATCH_MAX / 4];
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    int32_t ox, oc, fy, fx, i, k;
    for (ox = ox0; ox < ox1; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        for (fy = 0; fy < p->filter_h; ++fy) {
            const int32_t y = y0 + fy * p->dilation_h;
            for (fx = 0; fx < p->filter_w; ++fx) {
                const int32_t x = x0 + fx * p->dilation_w;
                int8_t *dst = patch + fy * f_row + fx * in_c;
                const int inside = y >= 0 && y < p->in_h && x >= 0 && x < p->in_w;
                const int8_t *src = in_b + (inside ? ((size_t)y * (size_t)p->in_w + (size_t)x)
                                                     * (size_t)in_c : 0);
                for (k = 0; k < in_c; ++k) { /* few channels: bytes, not a library call */
                    dst[k] = inside ? src[k] : zero_point;
                }
            }
        }
        for (i = 0; i < words; ++i) {
            const uint32_t v = mf_load_u32(patch + 4 * i);
            even[i] = __sxtab16(io2, (int8x4_t)v);
            odd[i] = mf_sxtab16_odd(io2, v);
        }
        for (oc = 0; oc < p->out_c; oc += 2) {
            const int two = oc + 1 < p->out_c;
            const int8_t *w0 = filter + (size_t)oc * (size_t)len;
            const int8_t *w1 = two ? w0 + len : w0;
            int32_t a0 = bias != NULL ? bias[oc] : 0;
            int32_t a1 = bias != NULL && two ? bias[oc + 1] : 0;
            for (i = 0; i < words; ++i) {
                a0 = mf_smlad4(even[i], odd[i], w0 + 4 * i, a0);
                a1 = mf_smlad4(even[i], odd[i], w1 + 4 * i, a1);
            }
            for (k = 4 * words; k < len; ++k) {
                const int32_t v = (int32_t)patch[k] + p->input_offset;
                a0 += v * w0[k];
                a1 += v * w1[k];
            }
            *output++ = (int8_t)mf_conv_requantize(p, a0, oc);
            if (two) {
                *output++ = (int8_t)mf_conv_requantize(p, a1, oc + 1);
            }
        }
    }
}
#endif

#if MF_SIMD32
/* Four output channels (filters w, w + f_size, ...) over one contiguous run of `run` (>= 16)
 * input values: per four values one word of inputs (offset added by SXTAB16) and one word per
 * filter (SXTB16), two SMLADs per channel; the tail of run % 4 values is scalar. */
static inline void mf_conv_run_simd(const int8_t *in, const int8_t *w, int32_t f_size,
                                    int32_t run, int32_t io, int32_t *acc0, int32_t *acc1,
                                    int32_t *acc2, int32_t *acc3) {
    const uint32_t io16 = (uint32_t)(uint16_t)io;
    const int16x2_t io2 = (int16x2_t)(io16 | (io16 << 16));
    const int8_t *w1 = w + f_size;
    const int8_t *w2 = w1 + f_size;
    const int8_t *w3 = w2 + f_size;
    int32_t a0 = *acc0, a1 = *acc1, a2 = *acc2, a3 = *acc3, k;
    for (k = 0; k + 4 <= run; k += 4) {
        const uint32_t x = mf_load_u32(in + k);
        const int16x2_t xe = __sxtab16(io2, (int8x4_t)x), xo = mf_sxtab16_odd(io2, x);
        a0 = mf_smlad4(xe, xo, w + k, a0);
        a1 = mf_smlad4(xe, xo, w1 + k, a1);
        a2 = mf_smlad4(xe, xo, w2 + k, a2);
        a3 = mf_smlad4(xe, xo, w3 + k, a3);
    }
    for (; k < run; ++k) {
        const int32_t x = (int32_t)in[k] + io;
        a0 += x * w[k];
        a1 += x * w1[k];
        a2 += x * w2[k];
        a3 += x * w3[k];
    }
    *acc0 = a0;
    *acc1 = a1;
    *acc2 = a2;
    *acc3 = a3;
}
#endif

/* Output pixels ox0..ox1-1 (all channels) of row oy of one batch. */
static void mf_conv_pixels(const mf_conv2d_s8_params *p, const int8_t *in_b,
                           const int8_t *filter, const int32_t *bias, int32_t oy, int32_t ox0,
                           int32_t ox1, int8_t *output) {
    const int32_t per_group = p->out_c / (p->in_c / p->filter_in_c);
    const int32_t fic = p->filter_in_c;
    const int32_t f_row = p->filter_w * fic;
    const int32_t f_size = p->filter_h * f_row;
    const int32_t io = p->input_offset;
    const int16_t io16 = (int16_t)io;
    /* one group and no horizontal dilation: a filter row meets one contiguous input run */
    const int contiguous = fic == p->in_c && p->dilation_w == 1;
    int32_t ox, oc, fy, fx, k;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    int32_t fy0, fy1;
#if MF_SIMD32
    if (fic == p->in_c && p->filter_h * p->filter_w * fic <= MF_CONV_PATCH_MAX
        && fic < 16) {
        mf_conv_pixels_patch(p, in_b, filter, bias, oy, ox0, ox1, output);
        return;
    }
#endif
    mf_filter_window(y0, p->filter_h, p->dilation_h, p->in_h, &fy0, &fy1);
    for (ox = ox0; ox < ox1; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        mf_filter_window(x0, p->filter_w, p->dilation_w, p->in_w, &fx0, &fx1);
        for (oc = 0; oc < p->out_c; ++oc) {
            const int32_t ic0 = (oc / per_group) * fic;
            const int8_t *f_oc = filter + (size_t)oc * (size_t)f_size;
            int32_t acc = 0;
            /* 4 output channels at once while they share the input group */
            if (oc + 4 <= p->out_c && (oc + 3) / per_group == oc / per_group) {
                int32_t a1 = 0, a2 = 0, a3 = 0;
                for (fy = fy0; fy < fy1; ++fy) {
                    const int32_t y = y0 + fy * p->dilation_h;
                    const int8_t *in_row = in_b + (size_t)(y * p->in_w * p->in_c + ic0);
                    if (contiguous) {
                        /* taps fx0..fx1 x channels are one run in input and filter */
                        const int8_t *in_px = in_row + (size_t)((x0 + fx0) * p->in_c);
                        const int8_t *w0 = f_oc + (size_t)(fy * f_row + fx0 * fic);
                        const int8_t *w1 = w0 + f_size;
                        const int8_t *w2 = w1 + f_size;
                        const int8_t *w3 = w2 + f_size;
                        const int32_t run = (fx1 - fx0) * fic;
                        if (run < 16) {
                            /* short runs (few input channels): scalar is cheaper */
                            for (k = 0; k < run; ++k) {
                                const int32_t v = (int32_t)in_px[k] + io;
                                acc += v * w0[k];
                                a1 += v * w1[k];
                                a2 += v * w2[k];
                                a3 += v * w3[k];
                            }
                            continue;
                        }
#if MF_SIMD32
                        mf_conv_run_simd(in_px, w0, f_size, run, io, &acc, &a1, &a2, &a3);
                        continue;
#endif
                        for (k = 0; k < run; ++k) {
                            /* |input + offset| <= 255 fits int16: int16 x int16 -> int32 products */
                            const int16_t v = (int16_t)(in_px[k] + io16);
                            acc += (int32_t)v * (int16_t)w0[k];
                            a1 += (int32_t)v * (int16_t)w1[k];
                            a2 += (int32_t)v * (int16_t)w2[k];
                            a3 += (int32_t)v * (int16_t)w3[k];
                        }
                        continue;
                    }
                    for (fx = fx0; fx < fx1; ++fx) {
                        const int8_t *in_px = in_row
                            + (size_t)((x0 + fx * p->dilation_w) * p->in_c);
                        const int8_t *w0 = f_oc + (size_t)(fy * f_row + fx * fic);
                        const int8_t *w1 = w0 + f_size;
                        const int8_t *w2 = w1 + f_size;
                        const int8_t *w3 = w2 + f_size;
                        for (k = 0; k < fic; ++k) {
                            const int32_t v = (int32_t)in_px[k] + io;
                            acc += v * w0[k];
                            a1 += v * w1[k];
                            a2 += v * w2[k];
                            a3 += v * w3[k];
                        }
                    }
                }
                if (bias != NULL) {
                    acc += bias[oc];
                    a1 += bias[oc + 1];
                    a2 += bias[oc + 2];
                    a3 += bias[oc + 3];
                }
#if MF_SIMD32
                { /* the parameters loaded once for the four (cheaper where SMLAL is) */
                    const int32_t quad[4] = {acc, a1, a2, a3};
                    mf_conv_requantize_n(p, quad, oc, 4, output);
                    output += 4;
                }
#else
                *output++ = (int8_t)mf_conv_requantize(p, acc, oc);
                *output++ = (int8_t)mf_conv_requantize(p, a1, oc + 1);
                *output++ = (int8_t)mf_conv_requantize(p, a2, oc + 2);
                *output++ = (int8_t)mf_conv_requantize(p, a3, oc + 3);
#endif
                oc += 3;
                continue;
            }
            for (fy = fy0; fy < fy1; ++fy) {
                const int32_t y = y0 + fy * p->dilation_h;
                const int8_t *in_row = in_b + (size_t)(y * p->in_w * p->in_c + ic0);
                for (fx = fx0; fx < fx1; ++fx) {
                    const int8_t *in_px = in_row
                        + (size_t)((x0 + fx * p->dilation_w) * p->in_c);
                    const int8_t *w0 = f_oc + (size_t)(fy * f_row + fx * fic);
                    for (k = 0; k < fic; ++k) {
                        acc += ((int32_t)in_px[k] + io) * w0[k];
                    }
                }
            }
            if (bias != NULL) {
                acc += bias[oc];
            }
            *output++ = (int8_t)mf_conv_requantize(p, acc, oc);
        }
    }
}

typedef struct {
    const mf_conv2d_s8_params *p;
    const int8_t *in_b;
    const int8_t *filter;
    const int32_t *bias;
} mf_conv2d_s8_rows;

static void mf_conv_row_at(const void *ctx, int32_t oy, void *dst) {
    const mf_conv2d_s8_rows *c = (const mf_conv2d_s8_rows *)ctx;
    mf_conv_pixels(c->p, c->in_b, c->filter, c->bias, oy, 0, c->p->out_w, (int8_t *)dst);
}

/* In place, same geometry in and out: input pixel q (raster order) is last read by output
 * pixel q + pad_h * out_w + pad_w, so each output pixel waits in a ring of that many + 1
 * pixels and is copied over input pixel q right after its last reader is computed. */
static void mf_conv_pixel_ring(const mf_conv2d_s8_params *p, const int8_t *in_b,
                               const int8_t *filter, const int32_t *bias, int8_t *out_b,
                               int8_t *ring) {
    const int32_t total = p->out_h * p->out_w;
    const int32_t n = mf_conv2d_s8_ring_pixels(p);
    const size_t c = (size_t)p->out_c;
    int32_t px, q;
    for (px = 0; px < total; ++px) {
        const int32_t ox = px % p->out_w;
        mf_conv_pixels(p, in_b, filter, bias, px / p->out_w, ox, ox + 1,
                       ring + (size_t)(px % n) * c);
        q = px - (n - 1);
        if (q >= 0) {
            memcpy(out_b + (size_t)q * c, ring + (size_t)(q % n) * c, c);
        }
    }
    for (q = MF_MAX(0, total - (n - 1)); q < total; ++q) {
        memcpy(out_b + (size_t)q * c, ring + (size_t)(q % n) * c, c);
    }
}

int32_t mf_conv2d_s8_ring_pixels(const mf_conv2d_s8_params *p) {
    if (p->stride_h != 1 || p->stride_w != 1 || p->out_w != p->in_w || p->out_c != p->in_c
        || p->pad_w >= p->out_w) { /* pad_w >= out_w: the row ring is no bigger */
        return 0;
    }
    return p->pad_h * p->out_w + p->pad_w + 1;
}

void mf_conv2d_s8(const mf_conv2d_s8_params *p, const int8_t *input, const int8_t *filter,
                  const int32_t *bias, int8_t *output, int8_t *row_scratch) {
    const size_t row = (size_t)p->out_w * (size_t)p->out_c;
    const size_t in_batch = (size_t)(p->in_h * p->in_w * p->in_c);
    int32_t b;
    for (b = 0; b < p->batches; ++b) {
        mf_conv2d_s8_rows ctx;
        ctx.p = p;
        ctx.in_b = input + (size_t)b * in_batch;
        ctx.filter = filter;
        ctx.bias = bias;
        if (row_scratch != NULL && mf_conv2d_s8_ring_pixels(p) > 0) {
            mf_conv_pixel_ring(p, ctx.in_b, filter, bias, output + (size_t)b * (size_t)p->out_h
                               * row, row_scratch);
            continue;
        }
        mf_rows_through_ring(mf_conv_row_at, &ctx, p->out_h, p->pad_h, row * sizeof(int8_t),
                             output + (size_t)b * (size_t)p->out_h * row, row_scratch);
    }
}

#if MF_SIMD32
/* Two pixels x two output channels per pass, four input channels per step: each 32-bit load of
 * four int8 values is split into its even and odd bytes as int16 pairs (SXTB16), and SMLAD adds
 * both products of a pair, so 16 MACs take 4 loads, 8 SXTB16 and 8 SMLAD. The sums are the same
 * integers as the portable loop's (only the order of the additions differs). */
static void mf_conv_1x1_pixel_pair(const mf_conv2d_s8_params *p, const int8_t *in0,
                                   const int8_t *in1, const int8_t *filter,
                                   const int32_t *bias_folded, int8_t *out0, int8_t *out1) {
    const int32_t in_c = p->in_c;
    const int32_t out_c = p->out_c;
    const int32_t in_c4 = in_c & ~3;
    int32_t oc, ic;
    (void)in1; /* in1 == in0 + in_c: the same stride as from one filter row to the next */
    for (oc = 0; oc + 2 <= out_c; oc += 2) {
        const int8_t *w0 = filter + (size_t)oc * (size_t)in_c;
        const int8_t *w1 = w0 + in_c;
        const int8_t *x = in0;
        const int8_t *w = w0;
        const int8_t *const x_end = in0 + in_c4;
        int32_t a00 = bias_folded[oc], a01 = bias_folded[oc + 1];
        int32_t a10 = a00, a11 = a01;
        while (x < x_end) {
            const uint32_t x0 = mf_load_u32(x), x1 = mf_load_u32(x + in_c);
            const int16x2_t x0e = __sxtb16((int8x4_t)x0), x0o = mf_sxtb16_odd(x0);
            const int16x2_t x1e = __sxtb16((int8x4_t)x1), x1o = mf_sxtb16_odd(x1);
            uint32_t v = mf_load_u32(w);
            int16x2_t ve = __sxtb16((int8x4_t)v), vo = mf_sxtb16_odd(v);
            a00 = __smlad(x0o, vo, __smlad(x0e, ve, a00));
            a10 = __smlad(x1o, vo, __smlad(x1e, ve, a10));
            v = mf_load_u32(w + in_c);
            ve = __sxtb16((int8x4_t)v);
            vo = mf_sxtb16_odd(v);
            a01 = __smlad(x0o, vo, __smlad(x0e, ve, a01));
            a11 = __smlad(x1o, vo, __smlad(x1e, ve, a11));
            x += 4;
            w += 4;
        }
        ic = in_c4;
        for (; ic < in_c; ++ic) {
            a00 += (int32_t)in0[ic] * w0[ic];
            a10 += (int32_t)in1[ic] * w0[ic];
            a01 += (int32_t)in0[ic] * w1[ic];
            a11 += (int32_t)in1[ic] * w1[ic];
        }
        out0[oc] = (int8_t)mf_conv_requantize(p, a00, oc);
        out0[oc + 1] = (int8_t)mf_conv_requantize(p, a01, oc + 1);
        out1[oc] = (int8_t)mf_conv_requantize(p, a10, oc);
        out1[oc + 1] = (int8_t)mf_conv_requantize(p, a11, oc + 1);
    }
    for (; oc < out_c; ++oc) {
        const int8_t *w = filter + (size_t)oc * (size_t)in_c;
        int32_t a0 = bias_folded[oc], a1 = bias_folded[oc];
        for (ic = 0; ic < in_c; ++ic) {
            a0 += (int32_t)in0[ic] * w[ic];
            a1 += (int32_t)in1[ic] * w[ic];
        }
        out0[oc] = (int8_t)mf_conv_requantize(p, a0, oc);
        out1[oc] = (int8_t)mf_conv_requantize(p, a1, oc);
    }
}
#endif

/* One output pixel of the 1x1 convolution: out[0..out_c) from in[0..in_c). */
static void mf_conv_1x1_pixel(const mf_conv2d_s8_params *p, const int8_t *in,
                              const int8_t *filter, const int32_t *bias_folded, int8_t *out) {
    const int32_t in_c = p->in_c;
    const int32_t out_c = p->out_c;
    int32_t oc, ic;
    for (oc = 0; oc + 4 <= out_c; oc += 4) {
        const int8_t *w0 = filter + (size_t)oc * (size_t)in_c;
        const int8_t *w1 = w0 + in_c;
        const int8_t *w2 = w1 + in_c;
        const int8_t *w3 = w2 + in_c;
        int32_t a0 = bias_folded[oc], a1 = bias_folded[oc + 1];
        int32_t a2 = bias_folded[oc + 2], a3 = bias_folded[oc + 3];
        for (ic = 0; ic < in_c; ++ic) {
            /* int16 x int16 -> int32 products: gcc vectorises them as dot products */
            const int16_t v = in[ic];
            a0 += (int32_t)v * (int16_t)w0[ic];
            a1 += (int32_t)v * (int16_t)w1[ic];
            a2 += (int32_t)v * (int16_t)w2[ic];
            a3 += (int32_t)v * (int16_t)w3[ic];
        }
        out[oc] = (int8_t)mf_conv_requantize(p, a0, oc);
        out[oc + 1] = (int8_t)mf_conv_requantize(p, a1, oc + 1);
        out[oc + 2] = (int8_t)mf_conv_requantize(p, a2, oc + 2);
        out[oc + 3] = (int8_t)mf_conv_requantize(p, a3, oc + 3);
    }
    for (; oc < out_c; ++oc) {
        const int8_t *w = filter + (size_t)oc * (size_t)in_c;
        int32_t acc = bias_folded[oc];
        for (ic = 0; ic < in_c; ++ic) {
            acc += (int32_t)in[ic] * w[ic];
        }
        out[oc] = (int8_t)mf_conv_requantize(p, acc, oc);
    }
}

void mf_conv2d_s8_1x1(const mf_conv2d_s8_params *p, const int8_t *input, const int8_t *filter,
                      const int32_t *bias_folded, int8_t *output, int8_t *pixel_scratch) {
    const int32_t pixels = p->batches * p->out_h * p->out_w;
    const int32_t in_c = p->in_c;
    const int32_t out_c = p->out_c;
    int32_t px = 0;
    if (pixel_scratch != NULL && out_c > in_c) {
        /* in place, expanding: the input sits at the start of the output's memory. Last pixel
         * first: output pixel px covers input pixels >= px only, all done but px itself, which
         * is read before its output (computed in the scratch) is copied over it. */
        for (px = pixels - 1; px >= 0; --px) {
            mf_conv_1x1_pixel(p, input + (size_t)px * (size_t)in_c, filter, bias_folded,
                              pixel_scratch);
            memcpy(output + (size_t)px * (size_t)out_c, pixel_scratch, (size_t)out_c);
        }
        return;
    }
#if MF_SIMD32
    /* two output pixels per pass; in place they wait in the scratch (2 * out_c bytes) until both
     * are done, then overwrite their own input pixels only (out_c <= in_c) */
    for (; px + 2 <= pixels; px += 2) {
        const int8_t *in0 = input + (size_t)px * (size_t)in_c;
        int8_t *dst = output + (size_t)px * (size_t)out_c;
        int8_t *out0 = pixel_scratch != NULL ? pixel_scratch : dst;
        mf_conv_1x1_pixel_pair(p, in0, in0 + in_c, filter, bias_folded, out0, out0 + out_c);
        if (pixel_scratch != NULL) {
            memcpy(dst, pixel_scratch, 2 * (size_t)out_c);
        }
    }
#endif
    for (; px < pixels; ++px) {
        const int8_t *in = input + (size_t)px * (size_t)in_c;
        int8_t *out = pixel_scratch != NULL ? pixel_scratch : output + (size_t)px * (size_t)out_c;
        mf_conv_1x1_pixel(p, in, filter, bias_folded, out);
        if (pixel_scratch != NULL) {
            memcpy(output + (size_t)px * (size_t)out_c, pixel_scratch, (size_t)out_c);
        }
    }
}

int32_t mf_conv2d_s8_scratch_bytes(const mf_conv2d_s8_params *p) {
    const int32_t ring = mf_conv2d_s8_ring_pixels(p);
    if (p->stride_h != 1 || p->stride_w != 1 || p->out_w * p->out_c > p->in_w * p->in_c) {
        return 0;
    }
    return ring > 0 ? ring * p->out_c : (p->pad_h + 1) * p->out_w * p->out_c;
}

int32_t mf_conv2d_s8_1x1_scratch_bytes(const mf_conv2d_s8_params *p) {
    /* shrinking or equal: two output pixels; expanding: one, written last pixel first */
    return p->out_c <= p->in_c ? MF_CONV2D_S8_1X1_SCRATCH(p->out_c) : p->out_c;
}
