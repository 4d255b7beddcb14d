/* microforge runtime: TFLM's SignalFilterBankLog: a fixed-point natural log of each channel,
 * scaled, as int16. */
#ifndef MF_SIGNAL_FILTER_BANK_LOG_H
#define MF_SIGNAL_FILTER_BANK_LOG_H

#include "mf_common.h"

typedef struct {
    int32_t num_channels;
    uint32_t output_scale;
    uint32_t correction_bits;  /* left shift of the input */
} mf_signal_filter_bank_log_params;

/* log_lut: 130 uint16, the correction log2(1 + f) - f at 128 segments of [0, 1] in Q16 (plus a
 * trailing 0), computed by the compiler (ops/signal_filter_bank_log.py). */
void mf_signal_filter_bank_log(const mf_signal_filter_bank_log_params *p,
                               const uint32_t *input, const uint16_t *log_lut, int16_t *output);

#endif /* MF_SIGNAL_FILTER_BANK_LOG_H */
