/* microforge runtime: SignalFilterBankLog, as TFLM's FilterbankLog and Log32: log2 from the
 * leading bit and the interpolated table, times ln(2) in Q16 (45426), times the output scale,
 * each rounded; 0 for inputs below 2, saturated at INT16_MAX. */
#include "signal_common.h"
#include "signal_filter_bank_log.h"

#define MF_LOG_SCALE_BITS 16
#define MF_LOG_SEGMENT_BITS 7
#define MF_LOG_COEFF 45426u

static uint32_t mf_log2_fraction(uint32_t x, uint32_t log2x, const uint16_t *lut) {
    int32_t frac = (int32_t)(x - (1u << log2x));
    uint32_t segment;
    int32_t c0;
    int32_t c1;
    int32_t segment_base;
    int32_t offset;
    if (log2x < MF_LOG_SCALE_BITS) {
        frac <<= MF_LOG_SCALE_BITS - log2x;
    } else {
        frac >>= log2x - MF_LOG_SCALE_BITS;
    }
    segment = (uint32_t)frac >> (MF_LOG_SCALE_BITS - MF_LOG_SEGMENT_BITS);
    c0 = lut[segment];
    c1 = lut[segment + 1];
    segment_base = (int32_t)(segment << (MF_LOG_SCALE_BITS - MF_LOG_SEGMENT_BITS));
    offset = ((c1 - c0) * (frac - segment_base)) >> MF_LOG_SCALE_BITS;
    return (uint32_t)(frac + c0 + offset);
}

static uint32_t mf_log32(uint32_t x, uint32_t out_scale, const uint16_t *lut) {
    const uint32_t round = 1u << (MF_LOG_SCALE_BITS - 1);
    const uint32_t integer = mf_signal_msb32(x) - 1u;
    const uint32_t log2 = (integer << MF_LOG_SCALE_BITS) + mf_log2_fraction(x, integer, lut);
    const uint32_t loge = (uint32_t)(((uint64_t)MF_LOG_COEFF * log2 + round) >>
                                     MF_LOG_SCALE_BITS);
    return (out_scale * loge + round) >> MF_LOG_SCALE_BITS;
}

void mf_signal_filter_bank_log(const mf_signal_filter_bank_log_params *p,
                               const uint32_t *input, const uint16_t *log_lut, int16_t *output) {
    int32_t i;
    for (i = 0; i < p->num_channels; ++i) {
        const uint32_t scaled = input[i] << p->correction_bits;
        if (scaled > 1u) {
            const uint32_t value = mf_log32(scaled, p->output_scale, log_lut);
            output[i] = (int16_t)(value < (uint32_t)INT16_MAX ? value : (uint32_t)INT16_MAX);
        } else {
            output[i] = 0;
        }
    }
}
