/* microforge runtime: SignalPCAN, as TFLM's ApplyPcanAutoGainControlFixed: the gain is a
 * piecewise quadratic of the noise estimate (one lut segment of 4 per power of two, 10 bits of
 * fraction), the SNR has 12 fraction bits and the output 6. Intermediate int32 products wrap
 * (two's complement), as they do in GCC builds of TFLM. */
#include "signal_common.h"
#include "signal_pcan.h"

#define MF_PCAN_SNR_BITS 12
#define MF_PCAN_OUTPUT_BITS 6

static int16_t mf_pcan_gain(uint32_t x, const int16_t *lut) {
    int32_t interval;
    int32_t frac;
    int32_t result;
    if (x <= 2u) {
        return lut[x];
    }
    interval = (int32_t)mf_signal_msb32(x);
    lut += 4 * interval - 6;
    frac = (int32_t)(((interval < 11) ? (x << (11 - interval)) : (x >> (interval - 11))) &
                     0x3FFu);
    result = ((int32_t)lut[2] * frac) >> 5;
    result = (int32_t)((uint32_t)result + ((uint32_t)(int32_t)lut[1] << 5));
    result = (int32_t)((uint32_t)result * (uint32_t)frac);
    result = (int32_t)((uint32_t)result + (1u << 14)) >> 15;
    result += lut[0];
    return (int16_t)result;
}

static uint32_t mf_pcan_shrink(uint32_t x) {
    if (x < (2u << MF_PCAN_SNR_BITS)) {
        return (x * x) >> (2 + 2 * MF_PCAN_SNR_BITS - MF_PCAN_OUTPUT_BITS);
    }
    return (x >> (MF_PCAN_SNR_BITS - MF_PCAN_OUTPUT_BITS)) - (1u << MF_PCAN_OUTPUT_BITS);
}

void mf_signal_pcan(const mf_signal_pcan_params *p, const uint32_t *input,
                    const uint32_t *noise_estimate, const int16_t *gain_lut, uint32_t *output) {
    int32_t i;
    for (i = 0; i < p->num_channels; ++i) {
        const uint32_t gain = (uint32_t)(int32_t)mf_pcan_gain(noise_estimate[i], gain_lut);
        const uint32_t snr = (uint32_t)(((uint64_t)input[i] * gain) >> p->snr_shift);
        output[i] = mf_pcan_shrink(snr);
    }
}
