"""TFLite's integer arithmetic for the int8 activation functions, modelled in numpy.

LOGISTIC, TANH and HARD_SWISH int8 are computed by TFLM with gemmlowp fixed-point code
(exp on negative values, Newton-Raphson reciprocals, int16 doubling multiplies). An int8 input
has only 256 values, so the compiler evaluates that exact integer arithmetic here, for every
input value, and the device only looks the result up in a 256-entry table.

Every function takes and returns int64 numpy arrays holding int32 (or int16) values; results
wrap exactly like the C integer types they model.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT16_MIN, INT16_MAX = -(2**15), 2**15 - 1


def wrap32(x: npt.ArrayLike) -> np.ndarray:
    return ((np.asarray(x, np.int64) + 2**31) % 2**32) - 2**31


def wrap16(x: npt.ArrayLike) -> np.ndarray:
    return ((np.asarray(x, np.int64) + 2**15) % 2**16) - 2**15


def trunc_div(n: np.ndarray, d: int) -> np.ndarray:
    """C integer division (rounds toward zero)."""
    n = np.asarray(n, np.int64)
    return np.sign(n) * (np.abs(n) // d)


def srdhm32(a: npt.ArrayLike, b: npt.ArrayLike) -> np.ndarray:
    """gemmlowp SaturatingRoundingDoublingHighMul on int32."""
    a, b = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(b, np.int64))
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    result = trunc_div(ab + nudge, 1 << 31)
    return np.where((a == b) & (a == INT32_MIN), INT32_MAX, result)


def srdhm16(a: npt.ArrayLike, b: npt.ArrayLike) -> np.ndarray:
    """gemmlowp SaturatingRoundingDoublingHighMul on int16."""
    a, b = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(b, np.int64))
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 14, 1 - (1 << 14))
    result = wrap16(trunc_div(ab + nudge, 1 << 15))
    return np.where((a == b) & (a == INT16_MIN), INT16_MAX, result)


def rounding_divide_by_pot(x: np.ndarray, exponent: int, bits: int = 32) -> np.ndarray:
    """gemmlowp RoundingDivideByPOT for int32 (bits=32) or int16 (bits=16)."""
    wrap = wrap32 if bits == 32 else wrap16
    x = np.asarray(x, np.int64)
    mask = int(wrap(np.int64((1 << exponent) - 1)))
    remainder = wrap(x & mask)
    threshold = wrap((mask >> 1) + (x < 0).astype(np.int64))
    return wrap((x >> exponent) + (remainder > threshold).astype(np.int64))


def multiply_by_quantized_multiplier(x: np.ndarray, multiplier: int, shift: int) -> np.ndarray:
    """TFLite MultiplyByQuantizedMultiplier (double rounding), the left shift wrapping."""
    left, right = max(shift, 0), max(-shift, 0)
    return rounding_divide_by_pot(srdhm32(wrap32(np.asarray(x, np.int64) << left), multiplier),
                                  right)


def saturating_rounding_mul_by_pot(x: np.ndarray, exponent: int) -> np.ndarray:
    """gemmlowp SaturatingRoundingMultiplyByPOT<exponent> on int32."""
    x = np.asarray(x, np.int64)
    if exponent == 0:
        return x
    if exponent < 0:
        return rounding_divide_by_pot(x, -exponent)
    threshold = (1 << (31 - exponent)) - 1
    shifted = wrap32(x << exponent)
    return np.where(x > threshold, INT32_MAX, np.where(x < -threshold, INT32_MIN, shifted))


def _exp_on_interval_minus_quarter_to_zero(a: np.ndarray) -> np.ndarray:
    """exp(a) for a in [-1/4, 0), Q0.31 in and out."""
    constant_term, one_third = 1895147668, 715827883
    x = wrap32(a + (1 << 28))
    x2 = srdhm32(x, x)
    x3 = srdhm32(x2, x)
    x4 = srdhm32(x2, x2)
    x4_over_4 = rounding_divide_by_pot(x4, 2)
    poly = rounding_divide_by_pot(wrap32(srdhm32(wrap32(x4_over_4 + x3), one_third) + x2), 1)
    return wrap32(constant_term + srdhm32(constant_term, wrap32(x + poly)))


_EXP_BARREL = ((-2, 1672461947), (-1, 1302514674), (0, 790015084), (1, 290630308),
               (2, 39332535), (3, 720401), (4, 242))


def exp_on_negative_values(a: np.ndarray, integer_bits: int) -> np.ndarray:
    """gemmlowp exp_on_negative_values: Q(integer_bits) input <= 0, Q0.31 output."""
    fractional_bits = 31 - integer_bits
    one_quarter = 1 << (fractional_bits - 2)
    a = np.asarray(a, np.int64)
    a_mod = wrap32((a & (one_quarter - 1)) - one_quarter)
    result = _exp_on_interval_minus_quarter_to_zero(
        saturating_rounding_mul_by_pot(a_mod, integer_bits))
    remainder = wrap32(a_mod - a)
    for exponent, multiplier in _EXP_BARREL:
        if integer_bits > exponent:
            bit = 1 << (fractional_bits + exponent)
            result = np.where((remainder & bit) != 0, srdhm32(result, multiplier), result)
    if integer_bits > 5:
        result = np.where(a < -(1 << (36 - integer_bits)), 0, result)
    return np.where(a == 0, INT32_MAX, result)


def _newton_raphson_reciprocal(half_denominator: np.ndarray) -> np.ndarray:
    """x ~= 1 / half_denominator in Q2.29 (three Newton-Raphson steps, as gemmlowp)."""
    x = wrap32(1515870810 + srdhm32(half_denominator, -1010580540))
    for _ in range(3):
        one_minus = wrap32((1 << 29) - srdhm32(half_denominator, x))
        x = wrap32(x + saturating_rounding_mul_by_pot(srdhm32(x, one_minus), 2))
    return x


def _rounding_half_sum_with_one(a: np.ndarray) -> np.ndarray:
    total = np.asarray(a, np.int64) + INT32_MAX
    return trunc_div(total + np.where(total >= 0, 1, -1), 2)


def logistic_q4(a: np.ndarray) -> np.ndarray:
    """gemmlowp logistic of a Q4.27 value, Q0.31 result."""
    a = np.asarray(a, np.int64)
    positive = a > 0
    abs_input = np.where(positive, a, wrap32(-a))
    exp_neg = exp_on_negative_values(wrap32(-abs_input), 4)
    reciprocal = _newton_raphson_reciprocal(_rounding_half_sum_with_one(exp_neg))
    if_positive = saturating_rounding_mul_by_pot(reciprocal, 1)  # Q1 -> Q0
    if_negative = wrap32(INT32_MAX - if_positive)
    return np.where(a == 0, 1 << 30, np.where(positive, if_positive, if_negative))


def tanh_q4(a: np.ndarray) -> np.ndarray:
    """gemmlowp tanh of a Q4.27 value, Q0.31 result."""
    a = np.asarray(a, np.int64)
    negative = a < 0
    n = np.where(negative, a, wrap32(-a))
    exp_neg = exp_on_negative_values(n, 5)  # ExactMulByPot<1>: same raw, one more integer bit
    reciprocal = _newton_raphson_reciprocal(_rounding_half_sum_with_one(exp_neg))
    t = saturating_rounding_mul_by_pot(wrap32(reciprocal - (1 << 29)), 2)  # Q2 -> Q0
    return np.where(a == 0, 0, np.where(negative, wrap32(-t), t))


def all_int8() -> np.ndarray:
    """Every int8 value, in table order (index = value + 128)."""
    return np.arange(-128, 128, dtype=np.int64)
