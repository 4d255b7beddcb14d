"""MF_DEPTHWISE_FC: DEPTHWISE_CONV_2D followed by the FULLY_CONNECTED that reads its whole
output, fused by `passes.fuse_depthwise_fc` (int8 only, bit-exact with the two ops).

The operator keeps the two original operators in its options ("depthwise", "fully_connected");
their own op modules check and prepare them. Inputs: the depthwise input, filter and bias, then
the fully connected weights and bias; output: the fully connected output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, get_op, register
from microforge.ops.conv2d import bias_tensor

OP_TYPE = "MF_DEPTHWISE_FC"


@dataclass(frozen=True)
class DepthwiseFCParams:
    depthwise: Any  # ops.depthwise_conv2d.DepthwiseParams
    fully_connected: Any  # ops.fully_connected.FullyConnectedParams

    @property
    def row_bytes(self) -> int:
        dw = self.depthwise
        return dw.out_w * dw.in_c * dw.depth_multiplier

    @property
    def scratch_bytes(self) -> int:
        return 4 * self.fully_connected.out_depth + self.row_bytes


def parts(op: Operator) -> tuple[Operator, Operator]:
    """The fused depthwise and fully connected operators."""
    return op.options["depthwise"], op.options["fully_connected"]


@register
class DepthwiseFC(OpDef):
    op_type = OP_TYPE

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        for part in parts(op):
            opdef = get_op(part.op_type)
            reason = opdef.unsupported_reason(part, graph) if opdef else "no implementation"
            if reason:
                return f"{part.op_type}: {reason}"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        for part in parts(op):
            opdef = get_op(part.op_type)
            assert opdef is not None
            opdef.check_shapes(part, graph)

    def prepare(self, op: Operator, graph: Graph) -> DepthwiseFCParams:
        dw, fc = parts(op)
        dw_def, fc_def = get_op(dw.op_type), get_op(fc.op_type)
        assert dw_def is not None and fc_def is not None
        return DepthwiseFCParams(dw_def.prepare(dw, graph), fc_def.prepare(fc, graph))

    def cost(self, op: Operator, graph: Graph, params: DepthwiseFCParams) -> Cost:
        dw, fc = parts(op)
        dw_def, fc_def = get_op(dw.op_type), get_op(fc.op_type)
        assert dw_def is not None and fc_def is not None
        a = dw_def.cost(dw, graph, params.depthwise)
        b = fc_def.cost(fc, graph, params.fully_connected)
        return Cost(macs=a.macs + b.macs, weight_bytes=a.weight_bytes + b.weight_bytes)

    def memory(self, op: Operator, graph: Graph, params: DepthwiseFCParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes)

    def emit(self, op: Operator, graph: Graph, params: DepthwiseFCParams,
             ctx: EmitContext) -> None:
        dw_op, fc_op = parts(op)
        dw, fc = params.depthwise, params.fully_connected
        dw_fields = [*dw.geometry(), dw.input_offset, dw.output_offset,
                     ctx.const(f"op{op.index}_dw_multiplier", dw.multiplier),
                     ctx.const(f"op{op.index}_dw_shift", dw.shift), dw.act_min, dw.act_max]
        fc_fields = [fc.batches, fc.in_depth, fc.out_depth, fc.filter_offset, fc.output_offset,
                     int(fc.per_channel), ctx.const(f"op{op.index}_fc_multiplier", fc.multiplier),
                     ctx.const(f"op{op.index}_fc_shift", fc.shift), fc.act_min, fc.act_max]
        dw_bias = bias_tensor(dw_op, graph)
        args = [ctx.ptr(dw_op.inputs[0]), ctx.ptr(dw_op.inputs[1]),
                ctx.ptr(dw_bias.index) if dw_bias is not None else "NULL",
                ctx.ptr(fc_op.inputs[1]), ctx.const(f"op{op.index}_fc_bias", fc.bias_folded),
                ctx.ptr(fc_op.outputs[0]), ctx.scratch()]
        for kernel in ("mf_requantize", "depthwise_conv2d_s8", "fully_connected_s8",
                       "depthwise_fc_s8"):
            ctx.use_kernel(kernel)
        ctx.call("{ static const mf_depthwise_conv2d_s8_params dw = {"
                 + ", ".join(map(str, dw_fields)) + "}; "
                 + "static const mf_fully_connected_s8_params fc = {"
                 + ", ".join(map(str, fc_fields)) + "}; "
                 + f"mf_depthwise_fc_s8(&dw, &fc, {', '.join(args)}); }}")
