"""DEPTH_TO_SPACE (4-D NHWC, float32, int8); see depth_space_common."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.depth_space_common import DepthSpaceBase


@register
class DepthToSpace(DepthSpaceBase):
    op_type = "DEPTH_TO_SPACE"
    to_space = True
