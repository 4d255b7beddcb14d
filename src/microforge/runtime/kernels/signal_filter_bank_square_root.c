/* microforge runtime: SignalFilterBankSquareRoot (TFLM's FilterbankSqrt). A shift outside
 * 0..31 (undefined in TFLM's C++; the auto-scale gives 0..15) gives 0, or the root for < 0. */
#include "signal_common.h"
#include "signal_filter_bank_square_root.h"

void mf_signal_filter_bank_square_root(int32_t num_channels, const uint64_t *input,
                                       const int32_t *scale_bits, uint32_t *output) {
    const int32_t shift = *scale_bits;
    int32_t i;
    for (i = 0; i < num_channels; ++i) {
        const uint32_t root = mf_signal_sqrt64(input[i]);
        output[i] = shift <= 0 ? root : (shift > 31 ? 0u : root >> shift);
    }
}
