"""ARG_MAX (float32, int8 -> int32; constant axis); see arg_common."""

from __future__ import annotations

from microforge.ops.arg_common import ArgBase
from microforge.ops.base import register


@register
class ArgMax(ArgBase):
    op_type = "ARG_MAX"
    function = "mf_arg_max"
