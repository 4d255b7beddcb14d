"""MF_DEPTHWISE_MAX_POOL: DEPTHWISE_CONV_2D followed by the MAX_POOL_2D that alone reads its
output, fused by `passes.fuse_depthwise_max_pool` (float32; bit-identical with the two ops).

The operator keeps the two original operators in its options ("depthwise", "max_pool"); their
own op modules check and prepare them. Inputs: the depthwise input, filter and bias; output:
the max pool output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import float_activation_range, static_params
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.conv2d import bias_tensor
from microforge.ops.fused_common import FusedOpDef, fused_parts

OP_TYPE = "MF_DEPTHWISE_MAX_POOL"


@dataclass(frozen=True)
class DepthwiseMaxPoolParams:
    depthwise: Any  # ops.depthwise_conv2d.DepthwiseParams
    max_pool: Any  # ops.max_pool2d.MaxPool2DParams

    @property
    def band_bytes(self) -> int:
        """pool filter_h depthwise output rows of float32."""
        dw = self.depthwise
        return 4 * self.max_pool.filter_h * dw.out_w * dw.in_c * dw.depth_multiplier


PART_NAMES = ("depthwise", "max_pool")


def parts(op: Operator) -> tuple[Operator, Operator]:
    """The fused depthwise and max pool operators."""
    return fused_parts(op, PART_NAMES)


@register
class DepthwiseMaxPool(FusedOpDef):
    op_type = OP_TYPE
    dtypes = ("float32",)
    fuses = ("DEPTHWISE_CONV_2D", "MAX_POOL_2D")
    part_names = PART_NAMES
    params_type = DepthwiseMaxPoolParams

    def memory(self, op: Operator, graph: Graph, params: DepthwiseMaxPoolParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.band_bytes)

    def emit(self, op: Operator, graph: Graph, params: DepthwiseMaxPoolParams,
             ctx: EmitContext) -> None:
        dw_op, pool_op = parts(op)
        lo, hi = float_activation_range(dw_op)
        dw_fields = {**params.depthwise.geometry(), "act_min": lo, "act_max": hi}
        bias = bias_tensor(dw_op, graph)
        args = [ctx.ptr(dw_op.inputs[0]), ctx.ptr(dw_op.inputs[1]),
                ctx.ptr(bias.index) if bias is not None else "NULL",
                ctx.ptr(pool_op.outputs[0]), f"(float *){ctx.scratch()}"]
        for kernel in ("depthwise_conv2d_f32", "max_pool2d_f32", "depthwise_max_pool_f32"):
            ctx.use_kernel(kernel)
        ctx.call("{ " + static_params("dw", "mf_depthwise_conv2d_f32_params", dw_fields)
                 + static_params("pool", "mf_max_pool2d_f32_params", params.max_pool.fields())
                 + f"mf_depthwise_max_pool_f32(&dw, &pool, {', '.join(args)}); }}")
