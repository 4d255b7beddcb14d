"""The shared part of the fused op modules (MF_CONV_ADD, MF_RESIDUAL_BLOCK, ...): each keeps its
original operators in `op.options`, one per name, and delegates checks, prepare and cost to
their own op modules. A fused op's params dataclass has one field per part, named as the option.
"""

from __future__ import annotations

from typing import Any, ClassVar, overload

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import Cost, OpDef, get_op


@overload
def fused_parts(op: Operator, names: tuple[str, str]) -> tuple[Operator, Operator]: ...
@overload
def fused_parts(
    op: Operator, names: tuple[str, str, str]
) -> tuple[Operator, Operator, Operator]: ...
@overload
def fused_parts(op: Operator, names: tuple[str, ...]) -> tuple[Operator, ...]: ...
def fused_parts(op: Operator, names: tuple[str, ...]) -> tuple[Operator, ...]:
    """The original operators kept in the fused operator's options, in `names` order."""
    return tuple(op.options[name] for name in names)


class FusedOpDef(OpDef):
    """OpDef of a fused operator; subclasses set `part_names`, `params_type`, memory and emit."""

    part_names: ClassVar[tuple[str, ...]] = ()
    params_type: ClassVar[type] = object

    def part_defs(self, op: Operator) -> list[tuple[str, Operator, OpDef]]:
        """(option name, original operator, its op module) of every part."""
        result = []
        for name, part in zip(self.part_names, fused_parts(op, self.part_names), strict=True):
            opdef = get_op(part.op_type)
            assert opdef is not None, part.op_type
            result.append((name, part, opdef))
        return result

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        for part in fused_parts(op, self.part_names):
            opdef = get_op(part.op_type)
            reason = opdef.unsupported_reason(part, graph) if opdef else "no implementation"
            if reason:
                return f"{part.op_type}: {reason}"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        for _, part, opdef in self.part_defs(op):
            opdef.check_shapes(part, graph)

    def prepare(self, op: Operator, graph: Graph) -> Any:
        return self.params_type(**{name: opdef.prepare(part, graph)
                                   for name, part, opdef in self.part_defs(op)})

    def cost(self, op: Operator, graph: Graph, params: Any) -> Cost:
        macs = weights = 0
        for name, part, opdef in self.part_defs(op):
            c = opdef.cost(part, graph, getattr(params, name))
            macs, weights = macs + c.macs, weights + c.weight_bytes
        return Cost(macs=macs, weight_bytes=weights)
