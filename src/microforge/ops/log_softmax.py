"""LOG_SOFTMAX: float32 over the last axis (TFLite's reference: max, sum of expf, logf).
TFLM's int8 LOG_SOFTMAX (fixed-point exp and log) is not implemented yet."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import LastAxisFloatOp


@register
class LogSoftmax(LastAxisFloatOp):
    op_type = "LOG_SOFTMAX"
    dtypes = ("float32",)
    kernel = "log_softmax_f32"
