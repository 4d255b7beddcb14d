/* microforge runtime: SignalFftAutoScale, as TFLM's FftAutoScale and MaxAbs16: the running
 * maximum is an int16, so -(-32768) wraps to -32768 there (then any larger value replaces it),
 * and a negative or zero maximum has 32 significant bits (MostSignificantBit32 of GCC builds):
 * no shift. The output may be the input's buffer. */
#include "signal_common.h"
#include "signal_fft_auto_scale.h"

void mf_signal_fft_auto_scale(int32_t size, const int16_t *input, int16_t *output,
                              int32_t *scale_bits) {
    int16_t max = 0;
    int32_t bits;
    int32_t i;
    for (i = 0; i < size; ++i) {
        const int16_t value = input[i];
        if (value > max) {
            max = value;
        } else if (-value > max) {
            max = (int16_t)-value;
        }
    }
    bits = 16 - (int32_t)mf_signal_msb32((uint32_t)(int32_t)max) - 1;
    if (bits < 0) {
        bits = 0;
    }
    for (i = 0; i < size; ++i) {
        output[i] = (int16_t)(input[i] * (1 << bits));
    }
    *scale_bits = bits;
}
