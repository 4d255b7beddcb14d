"""CIRCULAR_BUFFER (TFLM's custom op for strided streaming convolutions), int8: every invoke
appends the input [1, 1, h, d] to a buffer of `slots` entries (the output [1, slots, h, d]),
dropping the oldest, and the rest of the model runs only every `cycles_max`-th invoke: the
others end after this op and invoke returns MF_CIRCULAR_BUFFER_WAITING (TFLM's kTfLiteAbort).

The buffer lives in the op's state (the state area: kept between invokes, cleared by reset;
TFLM's starts as whatever its arena held) and is copied into the output tensor, so the
planner can reuse the output's memory as for any tensor. TFLM derives a missing or non-positive
cycles_max from a process-wide count of prepared ops; that case is refused."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.custom_op_common import INT32_MAX, CustomOp


@dataclass(frozen=True)
class CircularBufferParams:
    slots: int
    depth: int
    cycles_max: int

    @property
    def state_bytes(self) -> int:
        """== MF_CIRCULAR_BUFFER_STATE_BYTES (circular_buffer.h)."""
        return 4 + self.slots * self.depth


@register
class CircularBuffer(CustomOp):
    op_type = "CUSTOM:CIRCULAR_BUFFER"
    dtypes = ("int8",)
    input_dtypes = ("int8",)
    output_dtypes = ("int8",)

    def option_problem(self, op: Operator, graph: Graph) -> str | None:
        value = op.options.get("cycles_max")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            return (f"cycles_max {value!r}: TFLM derives a missing or non-positive period from "
                    "a process-wide count of prepared ops; give cycles_max >= 1 in the options")
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> CircularBufferParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if (len(x.shape) != 4 or len(out.shape) != 4 or x.shape[0] != 1 or out.shape[0] != 1
                or x.shape[1] != 1 or (x.shape[2], x.shape[3]) != (out.shape[2], out.shape[3])
                or out.shape[1] < 1):
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)}: TFLM's "
                                "CIRCULAR_BUFFER needs [1, 1, h, d] and [1, slots, h, d]")
        return CircularBufferParams(out.shape[1], out.shape[2] * out.shape[3],
                                    self.int_option(op, "cycles_max", 1, INT32_MAX))

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        return self.prepare(op, graph).state_bytes

    def emit(self, op: Operator, graph: Graph, params: CircularBufferParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("circular_buffer")
        ctx.call(struct_call("circular_buffer", pick(params, "slots depth cycles_max"),
                             [ctx.ptr(op.inputs[0]), ctx.op_state("uint8_t"),
                              ctx.ptr(op.outputs[0])],
                             function="mf_circular_buffer_s8", status=True))
