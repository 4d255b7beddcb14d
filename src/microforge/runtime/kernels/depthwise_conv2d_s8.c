/* microforge runtime: DEPTHWISE_CONV_2D int8 (TFLite reference arithmetic, bit-exact). */
#include "depthwise_conv2d_s8.h"
#include "mf_requantize.h"
#include "mf_simd32.h"

#define MF_DW_CHUNK 32

/* out[j] = requantized acc[j] + bias for the n channels from c0 (one tight loop). */
static void mf_dw_store(const mf_depthwise_conv2d_s8_params *p, const int32_t *restrict acc,
                        const int32_t *bias, int32_t c0, int32_t n, int8_t *restrict out) {
    const int32_t *restrict mul = p->multiplier + c0;
    const int8_t *restrict sh = p->shift + c0;
    const int32_t lo = p->act_min, hi = p->act_max, oo = p->output_offset;
    int32_t j;
    for (j = 0; j < n; ++j) {
        int32_t v = acc[j] + (bias != NULL ? bias[c0 + j] : 0);
        v = mf_add_wrap(mf_requantize(v, mul[j], sh[j]), oo);
        out[j] = (int8_t)MF_CLAMP(v, lo, hi);
    }
}

/* acc[j] += (input + offset) * filter[j] for the n channels from c0 of one filter tap.
 * Multiplier 1: a contiguous, vectorisable run (|input + offset| <= 255 and |filter| <= 128,
 * so each product fits int16 exactly); otherwise each input value feeds `mult` consecutive
 * output channels. */
static void mf_dw_tap(int32_t *restrict acc, const int8_t *restrict in_px,
                      const int8_t *restrict f, int32_t c0, int32_t n, int32_t mult, int32_t io) {
    int32_t j, ic, m, end;
    if (mult == 1) {
        const int8_t *restrict in = in_px + c0;
        const int16_t io16 = (int16_t)io;
        for (j = 0; j < n; ++j) {
            acc[j] += (int16_t)((int16_t)(in[j] + io16) * (int16_t)f[j]);
        }
        return;
    }
    ic = c0 / mult;
    m = c0 - ic * mult;
    for (j = 0; j < n; ++ic) {
        const int32_t v = (int32_t)in_px[ic] + io;
        end = MF_MIN(n, j + mult - m);
        for (; j < end; ++j) {
            acc[j] += v * (int32_t)f[j];
        }
        m = 0;
    }
}

/* Depth multiplier > 1: four output channels c..c+3 of one output pixel in registers. */
static void mf_dw_quad(const mf_depthwise_conv2d_s8_params *p, const int8_t *in_b,
                       const int8_t *filter, int32_t y0, int32_t fy0, int32_t fy1, int32_t x0,
                       int32_t fx0, int32_t fx1, int32_t c, int32_t *out4) {
    const int32_t mult = p->depth_multiplier;
    const int32_t out_c = p->in_c * mult;
    const int32_t io = p->input_offset;
    const int32_t i0 = c / mult, i1 = (c + 1) / mult, i2 = (c + 2) / mult, i3 = (c + 3) / mult;
    const int shared = i0 == i3; /* all four read one input channel */
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, fy, fx;
    for (fy = fy0; fy < fy1; ++fy) {
        const int32_t y = y0 + fy * p->dilation_h;
        const int8_t *in_row = in_b + (size_t)y * (size_t)p->in_w * (size_t)p->in_c;
        const int8_t *f_row = filter + (size_t)(fy * p->filter_w) * (size_t)out_c + c;
        for (fx = fx0; fx < fx1; ++fx) {
            const int8_t *ip = in_row + (size_t)(x0 + fx * p->dilation_w) * (size_t)p->in_c;
            const int8_t *fp = f_row + (size_t)fx * (size_t)out_c;
            if (shared) {
                const int32_t v = (int32_t)ip[i0] + io;
                a0 += v * fp[0];
                a1 += v * fp[1];
                a2 += v * fp[2];
                a3 += v * fp[3];
                continue;
            }
            a0 += ((int32_t)ip[i0] + io) * fp[0];
            a1 += ((int32_t)ip[i1] + io) * fp[1];
            a2 += ((int32_t)ip[i2] + io) * fp[2];
            a3 += ((int32_t)ip[i3] + io) * fp[3];
        }
    }
    out4[0] = a0;
    out4[1] = a1;
    out4[2] = a2;
    out4[3] = a3;
}

#if MF_SIMD32
/* Depth multiplier 1: channels c..c+3 of one output pixel in four registers over every valid
 * tap. One tap (a0..a3 += (input + offset) * filter): one word of inputs and one of filters;
 * SXTAB16 adds the input offset to bytes 0/2 (and, rotated, 1/3) as int16 pairs, SXTB16 widens
 * the filter bytes, and SMLABB/SMLATT accumulate each channel's own product (10 instructions
 * per 4 MACs). */
#define MF_DW_SIMD_TAP(in_ptr, f_ptr)                                                         \
    do {                                                                                      \
        const uint32_t x_ = mf_load_u32(in_ptr), f_ = mf_load_u32(f_ptr);                     \
        const int16x2_t xe_ = __sxtab16(io2, (int8x4_t)x_), xo_ = mf_sxtab16_odd(io2, x_);    \
        const int16x2_t fe_ = __sxtb16((int8x4_t)f_), fo_ = mf_sxtb16_odd(f_);                \
        a0 = __smlabb(xe_, fe_, a0);                                                          \
        a2 = __smlatt(xe_, fe_, a2);                                                          \
        a1 = __smlabb(xo_, fo_, a1);                                                          \
        a3 = __smlatt(xo_, fo_, a3);                                                          \
    } while (0)

/* Every group of four channels (c < n4) of one output pixel whose valid window is rows
 * fy0..fy1 x columns fx0..fx1 from the input pixel `ip0` (channel 0): the accumulators start at
 * the bias and are requantized straight into `out`. */
static void mf_dw_pixel_simd(const mf_depthwise_conv2d_s8_params *p, const int8_t *ip0,
                             const int8_t *fp0, int32_t rows, int32_t cols, const int32_t *bias,
                             int32_t n4, int8_t *out) {
    const int32_t in_c = p->in_c;
    const size_t row_step = (size_t)p->dilation_h * (size_t)p->in_w * (size_t)in_c;
    const size_t in_step = (size_t)p->dilation_w * (size_t)in_c;
    const size_t f_row = (size_t)p->filter_w * (size_t)in_c;
    const size_t fs = (size_t)in_c;
    const uint32_t io16 = (uint32_t)(uint16_t)p->input_offset;
    const int16x2_t io2 = (int16x2_t)(io16 | (io16 << 16));
    const int32_t *mul = p->multiplier;
    const int8_t *sh = p->shift;
    const int32_t lo = p->act_min, hi = p->act_max, oo = p->output_offset;
    int32_t c, r, fx, j;
    for (c = 0; c < n4; c += 4) {
        const int8_t *ip_row = ip0 + c;
        const int8_t *fp_row = fp0 + c;
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int32_t acc[4];
        if (bias != NULL) {
            a0 = bias[c];
            a1 = bias[c + 1];
            a2 = bias[c + 2];
            a3 = bias[c + 3];
        }
        if (rows == 3 && cols == 3) { /* the whole 3x3 window: nine taps unrolled */
            for (r = 0; r < 3; ++r) {
                MF_DW_SIMD_TAP(ip_row, fp_row);
                MF_DW_SIMD_TAP(ip_row + in_step, fp_row + fs);
                MF_DW_SIMD_TAP(ip_row + 2 * in_step, fp_row + 2 * fs);
                ip_row += row_step;
                fp_row += f_row;
            }
        } else {
            for (r = 0; r < rows; ++r) {
                const int8_t *ip = ip_row;
                const int8_t *fp = fp_row;
                for (fx = 0; fx < cols; ++fx) {
                    MF_DW_SIMD_TAP(ip, fp);
                    ip += in_step;
                    fp += fs;
                }
                ip_row += row_step;
                fp_row += f_row;
            }
        }
        acc[0] = a0;
        acc[1] = a1;
        acc[2] = a2;
        acc[3] = a3;
        for (j = 0; j < 4; ++j) {
            const int32_t v = mf_add_wrap(mf_requantize(acc[j], mul[c + j], sh[c + j]), oo);
            out[c + j] = (int8_t)MF_CLAMP(v, lo, hi);
        }
    }
}
#endif

/* One output row (all x, all channels) of one batch: per output pixel, chunks of channels
 * accumulate over the valid filter taps (int32 sums are exact, so the order is free). */
static void mf_dw_row(const mf_depthwise_conv2d_s8_params *p, const int8_t *in_b,
                      const int8_t *filter, const int32_t *bias, int32_t oy, int8_t *out_row) {
    const int32_t mult = p->depth_multiplier;
    const int32_t out_c = p->in_c * mult;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    const int32_t io = p->input_offset;
    int32_t acc[MF_DW_CHUNK];
    int32_t fy0, fy1, ox, fy, fx, c0, j;
    mf_filter_window(y0, p->filter_h, p->dilation_h, p->in_h, &fy0, &fy1);
    for (ox = 0; ox < p->out_w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int8_t *out_px = out_row + (size_t)ox * (size_t)out_c;
        int32_t fx0, fx1;
        mf_filter_window(x0, p->filter_w, p->dilation_w, p->in_w, &fx0, &fx1);
        c0 = 0;
#if MF_SIMD32
        if (mult == 1) {
            const int8_t *ip0 = in_b + ((size_t)(y0 + fy0 * p->dilation_h) * (size_t)p->in_w
                                        + (size_t)(x0 + fx0 * p->dilation_w)) * (size_t)p->in_c;
            const int8_t *fp0 = filter + (size_t)(fy0 * p->filter_w + fx0) * (size_t)out_c;
            c0 = out_c & ~3;
            mf_dw_pixel_simd(p, ip0, fp0, fy1 - fy0, fx1 - fx0, bias, c0, out_px);
        }
#endif
        if (mult > 1) {
            for (; c0 + 4 <= out_c; c0 += 4) {
                mf_dw_quad(p, in_b, filter, y0, fy0, fy1, x0, fx0, fx1, c0, acc);
                mf_dw_store(p, acc, bias, c0, 4, out_px + c0);
            }
        }
        for (; c0 < out_c; c0 += MF_DW_CHUNK) {
            const int32_t n = MF_MIN(MF_DW_CHUNK, out_c - c0);
            for (j = 0; j < n; ++j) {
                acc[j] = 0;
            }
            for (fy = fy0; fy < fy1; ++fy) {
                const int32_t y = y0 + fy * p->dilation_h;
                const int8_t *in_row = in_b + (size_t)y * (size_t)p->in_w * (size_t)p->in_c;
                const int8_t *f_row = filter + (size_t)(fy * p->filter_w) * (size_t)out_c + c0;
                for (fx = fx0; fx < fx1; ++fx) {
                    const int32_t x = x0 + fx * p->dilation_w;
                    mf_dw_tap(acc, in_row + (size_t)x * (size_t)p->in_c,
                              f_row + (size_t)fx * (size_t)out_c, c0, n, mult, io);
                }
            }
            mf_dw_store(p, acc, bias, c0, n, out_px + c0);
        }
    }
}

typedef struct {
    const mf_depthwise_conv2d_s8_params *p;
    const int8_t *in_b;
    const int8_t *filter;
    const int32_t *bias;
} mf_dw_row_source;

static void mf_dw_row_at(const void *ctx, int32_t oy, void *dst) {
    const mf_dw_row_source *c = (const mf_dw_row_source *)ctx;
    mf_dw_row(c->p, c->in_b, c->filter, c->bias, oy, (int8_t *)dst);
}

void mf_depthwise_conv2d_s8(const mf_depthwise_conv2d_s8_params *p, const int8_t *input,
                            const int8_t *filter, const int32_t *bias, int8_t *output,
                            int8_t *row_scratch) {
    const size_t row = (size_t)p->out_w * (size_t)p->in_c * (size_t)p->depth_multiplier;
    const size_t in_batch = (size_t)(p->in_h * p->in_w * p->in_c);
    int32_t b;
    for (b = 0; b < p->batches; ++b) {
        mf_dw_row_source ctx;
        ctx.p = p;
        ctx.in_b = input + (size_t)b * in_batch;
        ctx.filter = filter;
        ctx.bias = bias;
        /* in place at stride 1 a row waits for its last reader (pad_h rows later); strided,
         * its bytes hold input rows no later row reads (ops/depthwise_conv2d.py checks it) */
        mf_rows_through_ring(mf_dw_row_at, &ctx, p->out_h, p->stride_h > 1 ? 0 : p->pad_h,
                             row * sizeof(int8_t),
                             output + (size_t)b * (size_t)p->out_h * row, row_scratch);
    }
}

/* A strided run may go in place when every output row, copied at once, covers only bytes of
 * input rows no later output row reads (ops/depthwise_conv2d.py, strided_in_place). */
static int mf_dw_strided_in_place(const mf_depthwise_conv2d_s8_params *p) {
    const int32_t out_row = p->out_w * p->in_c, in_row = p->in_w * p->in_c;
    int32_t r;
    if (p->depth_multiplier != 1 || p->batches != 1 || p->stride_h < 2 || p->dilation_h != 1
        || p->dilation_w != 1) {
        return 0;
    }
    for (r = 0; r + 1 < p->out_h; ++r) {
        const int32_t free_rows = MF_MAX(0, (r + 1) * p->stride_h - p->pad_h);
        if ((r + 1) * out_row > free_rows * in_row) {
            return 0;
        }
    }
    return 1;
}

int32_t mf_depthwise_conv2d_s8_scratch_bytes(const mf_depthwise_conv2d_s8_params *p) {
    const int in_place = p->depth_multiplier == 1 && p->stride_h == 1 && p->stride_w == 1
                         && p->out_w == p->in_w && p->out_h <= p->in_h;
    if (in_place) {
        return (p->pad_h + 1) * p->out_w * p->in_c; /* a ring of pad_h + 1 rows */
    }
    return mf_dw_strided_in_place(p) ? p->out_w * p->in_c : 0; /* one row */
}

void mf_depthwise_conv2d_s8_rows(const mf_depthwise_conv2d_s8_params *p, const int8_t *input,
                                 int32_t first, int32_t oy, int32_t rows, const int8_t *filter,
                                 const int32_t *bias, int8_t *output) {
    mf_depthwise_conv2d_s8_params view;
    MF_CONV_ROWS_VIEW(view, p, first, oy, rows);
    mf_depthwise_conv2d_s8(&view, input, filter, bias, output, NULL);
}
