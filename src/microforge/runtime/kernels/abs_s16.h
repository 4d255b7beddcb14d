/* microforge runtime: ABS int16 (TFLM's elementwise.cc, both of its int16 paths). */
#ifndef MF_ABS_S16_H
#define MF_ABS_S16_H

#include "mf_common.h"

typedef struct {
    int32_t size;
    int32_t quantized;     /* 0: an unquantized tensor, std::abs (|-32768| wraps to -32768) */
    int32_t needs_rescale; /* quantized: input scale != output scale */
    int32_t multiplier;    /* quantized with rescale: input_scale / output_scale */
    int32_t shift;
} mf_abs_s16_params;

/* Quantized (zero points 0, as TFLM requires): v = |x|, then clamp(v) to int16 without
 * rescale, clamp(MultiplyByQuantizedMultiplier(v, m, s)) with it. May run in place. */
void mf_abs_s16(const mf_abs_s16_params *p, const int16_t *input, int16_t *output);

#endif /* MF_ABS_S16_H */
