"""SPACE_TO_DEPTH (4-D NHWC, float32, int8); see depth_space_common."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.depth_space_common import DepthSpaceBase


@register
class SpaceToDepth(DepthSpaceBase):
    op_type = "SPACE_TO_DEPTH"
    to_space = False
