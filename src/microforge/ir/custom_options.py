"""A custom operator's options: the FlexBuffer map TFLM's custom kernels read (signal ops)."""

from __future__ import annotations

import math
from typing import Any

# Operator.custom_options_format: 0 = FLEXBUFFERS, the only format TFLite defines
_FLEXBUFFERS = 0


def read_custom_options(op: Any) -> dict[str, Any]:
    """The operator's custom options as a dict (keys as written, values as FlexBuffers
    decodes them); {} when it has none. Raises ValueError naming what is wrong."""
    if not op.CustomOptionsLength():
        return {}
    if int(op.CustomOptionsFormat()) != _FLEXBUFFERS:
        raise ValueError(f"custom options format {int(op.CustomOptionsFormat())} is unknown "
                         "(only FLEXBUFFERS = 0 exists)")
    from flatbuffers import flexbuffers

    raw = op.CustomOptionsAsNumpy().tobytes()
    try:
        value = flexbuffers.Loads(raw)
    except Exception as exc:  # a corrupt buffer makes the decoder read out of range
        raise ValueError(f"custom options are not a valid FlexBuffer ({type(exc).__name__}: "
                         f"{exc})") from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError("custom options are not a FlexBuffer map of named fields")
    for key, item in value.items():
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"custom option {key} is {item}; it must be a finite number")
    return dict(value)
