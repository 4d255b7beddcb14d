/* microforge runtime: the out-of-line helpers of the DSP kernel variants (mf_dsp.h): the rare
 * requantization paths (a left shift, a clamp narrower than int8, a partial last pass), one
 * copy for every variant. */
#include "mf_dsp.h"

#if MF_DSP_AVAILABLE
int32_t mf_dsp_requantize(int32_t x, const mf_dsp_channel *c) {
    if (c->shift >= 0) {
        return mf_requantize(x, c->multiplier, (int)c->shift);
    }
    return mf_dsp_requantize_right(x, c);
}

int8_t mf_dsp_output(int32_t acc, const mf_dsp_channel *c, const mf_dsp_out *o) {
    return mf_dsp_clamp(mf_add_wrap(mf_dsp_requantize(acc, c), o->offset), o);
}

void mf_dsp_store_any(const int32_t *acc, const mf_dsp_channel *c, const mf_dsp_out *o,
                      int8_t *out, size_t stride, int32_t n) {
    int32_t k;
    if (c->shift < 0 && o->act_min == -128 && o->act_max == 127) { /* a partial last pass */
        for (k = 0; k < n; ++k) {
            out[(size_t)k * stride] = (int8_t)__ssat(
                mf_add_wrap(mf_dsp_requantize_right(acc[k], c), o->offset), 8);
        }
        return;
    }
    for (k = 0; k < n; ++k) {
        out[(size_t)k * stride] = mf_dsp_output(acc[k], c, o);
    }
}
#else
/* Built only for cores with the DSP extension (codegen/variants.py selects it there). */
typedef int mf_dsp_unavailable;
#endif
