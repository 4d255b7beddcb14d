"""Render <name>.h / <name>.c from the jinja2 templates and what the emitter collected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import jinja2

from microforge.c_literals import c_comment
from microforge.codegen.emitter import CEmitter, EmittedOp, format_c_array
from microforge.codegen.state import StateLayout
from microforge.ir.graph import Graph
from microforge.ir.tensor import DTYPE_C
from microforge.version import __version__

if TYPE_CHECKING:
    from microforge.codegen.blob import BlobPlan


@dataclass(frozen=True)
class IODetail:
    """One graph input or output, as the generated header and the host runner see it."""

    kind: str  # "input" | "output"
    position: int
    tensor_index: int
    name: str
    dtype: str
    shape: tuple[int, ...]
    scale: float | None
    zero_point: int | None

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    def as_dict(self) -> dict:
        """Like TFLM's get_input_details(): name, shape, dtype, quantization."""
        return {
            "name": self.name, "index": self.tensor_index, "shape": list(self.shape),
            "dtype": self.dtype,
            "quantization": (self.scale or 0.0, self.zero_point or 0),
        }


def io_details(graph: Graph, kind: str) -> list[IODetail]:
    indices = graph.inputs if kind == "input" else graph.outputs
    result = []
    for position, t_index in enumerate(indices):
        t = graph.tensors[t_index]
        quantized = t.quant is not None and not t.quant.per_channel and t.dtype != "float32"
        result.append(IODetail(kind, position, t_index, t.name, t.dtype, tuple(t.shape),
                               t.scale if quantized else None,
                               t.zero_point if quantized else None))
    return result


def signature(graph: Graph, inputs_in_arena: bool = False,
              outputs_in_arena: bool = False) -> str:
    params = [] if inputs_in_arena else [
        f"const {DTYPE_C[graph.tensors[t].dtype]} *input{i}" for i, t in enumerate(graph.inputs)]
    if not outputs_in_arena:
        params += [f"{DTYPE_C[graph.tensors[t].dtype]} *output{i}"
                   for i, t in enumerate(graph.outputs)]
    return ", ".join(params) or "void"


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("microforge.codegen", "templates"),
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
)
_ENV.filters["c_comment"] = c_comment  # any text that is not an identifier, inside /* */


def render_sources(graph: Graph, emitter: CEmitter, name: str, arena_size: int,
                   source: str, input_offsets: dict[int, int] | None = None,
                   output_offsets: dict[int, int] | None = None,
                   blob: BlobPlan | None = None,
                   state: StateLayout | None = None) -> dict[str, str]:
    """input_offsets / output_offsets: graph input / output tensor -> arena offset when the
    inputs / outputs live in the arena. blob: the model-blob mode's plan (codegen/blob.py):
    its statements and its constants left in the code replace the emitter's. state: the
    variable tensors kept between invokes (codegen/state.py), cleared by mf_<name>_reset()."""
    input_offsets = input_offsets or {}
    output_offsets = output_offsets or {}
    prefix = f"mf_{name}"
    macro = prefix.upper()
    ios = []
    for detail in io_details(graph, "input") + io_details(graph, "output"):
        ios.append({
            "kind": detail.kind, "position": detail.position, "name": c_comment(detail.name),
            "dtype": detail.dtype, "shape": list(detail.shape), "size": detail.size,
            "rank": len(detail.shape), "shape_c": ", ".join(str(d) for d in detail.shape) or "1",
            "macro": f"{macro}_{detail.kind.upper()}{detail.position}",
            "quantized": detail.scale is not None, "scale": repr(detail.scale),
            "zero_point": detail.zero_point, "c_type": DTYPE_C[detail.dtype],
            "offset": (input_offsets if detail.kind == "input" else output_offsets).get(
                detail.tensor_index),
        })
    common = {
        "name": name, "prefix": prefix, "macro": macro, "version": __version__,
        "source": c_comment(source, limit=200),
        "signature": signature(graph, bool(input_offsets), bool(output_offsets)),
        "inputs_in_arena": bool(input_offsets), "outputs_in_arena": bool(output_offsets),
        "arena_size": arena_size, "inputs": ios[: len(graph.inputs)],
        "outputs": ios[len(graph.inputs):], "n_ops": len(graph.operators),
        "weight_bytes": emitter.weight_bytes(), "guard": f"{macro}_H",
        "blob": _blob_context(blob) if blob is not None else None,
        "state_size": state.size if state is not None else 0,
        "state_slots": [{"offset": slot.offset, "nbytes": slot.nbytes, "fill": slot.fill,
                         "name": c_comment(slot.name)}
                        for slot in (state.slots if state is not None else ()) if slot.reset],
    }
    kept = blob.baked if blob is not None else emitter.consts
    consts = [{"symbol": c.symbol, "c_type": c.c_type, "count": int(c.values.size),
               "initializer": format_c_array(c.values, c.c_type)} for c in kept]
    ops = emitter.ops if blob is None else [
        EmittedOp(op.op_index, op.op_type, statements)
        for op, statements in zip(emitter.ops, blob.statements, strict=True)]
    header = _ENV.get_template("model.h.j2").render(**common)
    body = _ENV.get_template("model.c.j2").render(
        **common, kernels=emitter.kernels, consts=consts, ops=ops,
        arena_array_size=max(arena_size, 1),
        uses_arena=any("_arena" in s for op in ops for s in op.statements),
    )
    return {f"{name}.h": header, f"{name}.c": body}


def _blob_context(plan: BlobPlan) -> dict:
    from microforge.codegen.blob import BLOB_ALIGN, BLOB_FORMAT, HEADER_SIZE, scalar_c_type

    kinds = sorted(plan.scalar_kinds | {plan.io_slots[k].kind for k in plan.io_slots})
    return {
        "size": plan.size, "align": BLOB_ALIGN, "format": BLOB_FORMAT,
        "header_size": HEADER_SIZE,
        "hash_c": ", ".join(f"0x{b:02x}" for b in plan.abi_hash),
        "kinds": [{"name": k, "c_type": scalar_c_type(k)} for k in kinds],
        "arrays": [{"symbol": symbol, "c_type": slot.kind, "offset": slot.offset}
                   for symbol, slot in plan.blob_consts.items()],
        "io": [{"name": name, "kind": slot.kind, "offset": slot.offset,
                "c_type": scalar_c_type(slot.kind)} for name, slot in plan.io_slots.items()],
    }
