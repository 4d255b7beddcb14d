"""What TFLM's signal-library ops (custom ops `Signal*`, the audio front end of its micro_speech
example) share: the custom-op checks (custom_op_common.CustomOp) and the uint32 literal."""

from __future__ import annotations

from microforge.ops.custom_op_common import INT32_MAX, INT32_MIN, CustomOp

__all__ = ["INT32_MAX", "INT32_MIN", "SignalOp", "signal_c_uint"]


class SignalOp(CustomOp):
    """A custom op of TFLM's signal library ("CUSTOM:Signal...")."""


def signal_c_uint(value: int) -> str:
    """A uint32 field's literal (a negative int32 option converts modulo 2^32 as in C++)."""
    return f"{value & 0xFFFFFFFF}u"
