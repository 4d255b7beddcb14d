"""compile_model: .tflite -> verified IR -> prepared ops -> memory plan -> C99 sources."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_dir, locked_output
from microforge.codegen.blob import plan_blob
from microforge.codegen.emitter import CEmitter
from microforge.codegen.perturb import perturbed_graph
from microforge.codegen.planning import plan_memory
from microforge.codegen.render import IODetail, io_details, render_sources
from microforge.codegen.state import StateLayout, layout_state
from microforge.errors import (
    BoardFitError,
    ConfigError,
    MicroforgeError,
    ModelError,
    UnsupportedOpError,
)
from microforge.ir.graph import Graph, Operator
from microforge.ir.tflite_reader import read_tflite
from microforge.ir.verifier import verify_graph
from microforge.memory import MemoryPlan
from microforge.ops.base import Cost, MemoryHints, OpDef, get_op
from microforge.ops.control_flow_common import guard_condition
from microforge.passes.fold_layout_transposes import fold_layout_transposes
from microforge.passes.fuse_conv_add import fuse_conv_add
from microforge.passes.fuse_depthwise_fc import fuse_depthwise_fc
from microforge.passes.fuse_depthwise_max_pool import fuse_depthwise_max_pool
from microforge.passes.fuse_residual_block import fuse_residual_block
from microforge.paths import RUNTIME_DIR
from microforge.targets.boards import Board
from microforge.targets.features import HOST, CoreFeatures, features_of_target

KERNELS_DIR = RUNTIME_DIR / "kernels"
# Graph -> Graph fusions run after the unsupported-op check (errors name the model's own ops)
# the arena is one static C array indexed with int32 offsets
MAX_ARENA_BYTES = 1 << 30
# the perturbations the blob mode compares the model with (codegen/perturb.py)
BLOB_SEEDS = (1, 2, 3)
WEIGHTS_MODES = ("baked", "blob")
# the loop markers that put an IF branch's guard around the whole loop themselves
SELF_GUARDED = ("MF_LOOP_BEGIN", "MF_LOOP_END")
FUSIONS = (fuse_depthwise_fc, fuse_depthwise_max_pool, fuse_residual_block, fuse_conv_add)


@dataclass(frozen=True)
class OpSummary:
    index: int
    op_type: str
    kernels: tuple[str, ...]
    cost: Cost
    variant: str | None = None  # the core variant function its call names (codegen/variants.py)


@dataclass
class CompileInfo:
    """Everything compile_model learned: I/O, memory plan, costs, emitted files."""

    name: str
    out_dir: Path
    inputs: list[IODetail]
    outputs: list[IODetail]
    arena_size: int
    plan: MemoryPlan
    weight_bytes: int
    ops: list[OpSummary]
    kernels: list[str]
    uses_math: bool
    inputs_in_arena: bool = False  # inputs written through mf_<name>_input<i>()
    outputs_in_arena: bool = False  # outputs read through mf_<name>_output<i>()
    weights: str = "baked"  # "blob": trained values read from a blob (mf_<name>_set_blob)
    blob: bytes | None = None  # the model's own blob (also <out_dir>/<name>.blob)
    abi_hash: bytes | None = None  # GRAPH_ABI_HASH of the blob mode
    state: StateLayout = StateLayout()  # variable tensors kept between invokes (mf_<name>_reset)
    features: CoreFeatures = HOST  # the core the kernel variants were chosen for (target=)

    @property
    def state_size(self) -> int:
        return self.state.size

    @property
    def macs(self) -> int:
        return sum(op.cost.macs for op in self.ops)


def _output_dtype(graph: Graph, op: Operator) -> str:
    """The dtype an error message names for an operator ('?' where the file is inconsistent)."""
    if op.outputs and 0 <= op.outputs[0] < len(graph.tensors):
        return graph.tensors[op.outputs[0]].dtype
    return "?"


def unknown_ops(graph: Graph) -> list[str]:
    """One line per operator no op module implements. Reads only op types, so it runs before
    the graph's consistency rules: an op the compiler does not know (and the state tensors it
    would keep) must be reported as itself, not as a consequence such as 'used before any
    operator produces it'."""
    return [f"{op.op_type} (operator {op.index}, {_output_dtype(graph, op)}): no implementation"
            for op in graph.operators if get_op(op.op_type) is None]


# dtypes the reader accepts for TFLM's signal ops only: an op touches them only when its
# module lists them in its dtypes (no op module has to guard against them itself)
_DECLARED_ONLY_DTYPES = frozenset({"uint32", "uint64"})


def _undeclared_dtype(op: Operator, graph: Graph, opdef: OpDef) -> str | None:
    used = {graph.tensors[t].dtype for t in (*op.inputs, *op.outputs)
            if 0 <= t < len(graph.tensors)}
    missing = sorted((used & _DECLARED_ONLY_DTYPES) - set(opdef.dtypes))
    if not missing:
        return None
    return f"{', '.join(missing)} tensors not implemented for this op"


def unsupported_ops(graph: Graph) -> list[str]:
    """One line per operator the compiler cannot handle: name, index, dtype, reason."""
    problems = unknown_ops(graph)
    for op in graph.operators:
        opdef = get_op(op.op_type)
        if opdef is None:
            continue
        reason = _undeclared_dtype(op, graph, opdef) or opdef.unsupported_reason(op, graph)
        if reason:
            problems.append(f"{op.op_type} (operator {op.index}, {_output_dtype(graph, op)}): "
                            f"{reason}")
    return problems


ModelSource = str | os.PathLike[str] | bytes | bytearray


def compile_model(model_path: ModelSource, out_dir: str | os.PathLike[str] | None = None,
                  name: str = "model", *, target: str | Board | CoreFeatures = "host",
                  arena: int | None = None,
                  inplace_input: bool = False, inplace_output: bool = False,
                  weights: str = "baked") -> CompileInfo:
    """Compile a .tflite (path or bytes) to C in out_dir (a temp dir when None).

    `target`: "host", a board id, a Board or CoreFeatures: the core whose kernel variants the
    generated calls use (codegen/variants.py; the host and cores without the features get the
    portable kernels, so that C runs anywhere). Returns what was written and learned (`CompileInfo`); to run the C on the host, load it
    with `microforge.runners.host.CompiledModel(info)` (or call `microforge.compile`). `arena` caps the arena
    size (BoardFitError when the plan needs more). `inplace_input`: the inputs live in the
    arena (as in TFLM) instead of the caller's buffers: the caller writes them through
    `mf_<name>_input<i>()` before each invoke, and the model may overwrite them.
    `inplace_output`: the outputs live in the arena too (read them through
    `mf_<name>_output<i>()` after invoke, before the next one); with both, RAM is the arena alone.
    `weights="blob"`: the weights, biases and every quantization constant a retraining can
    change are read from a model blob (`<out_dir>/<name>.blob`, `CompileInfo.blob`) given to
    `mf_<name>_set_blob()`, checked against the `GRAPH_ABI_HASH` in the header
    (`codegen/blob.py`); the default "baked" puts them in the code.
    """
    if weights not in WEIGHTS_MODES:
        raise ConfigError(f"weights must be one of {', '.join(WEIGHTS_MODES)}, not {weights!r}")
    features = features_of_target(target)
    if out_dir is None:
        return _compile_model(model_path, None, name, arena, inplace_input, inplace_output,
                              weights == "blob", features)
    with locked_output(out_dir):  # a second compile into the folder fails at once
        return _compile_model(model_path, out_dir, name, arena, inplace_input, inplace_output,
                              weights == "blob", features)


def _compile_model(model_path: ModelSource, out_dir: str | os.PathLike[str] | None, name: str,
                   arena: int | None, inplace_input: bool, inplace_output: bool,
                   blob_mode: bool, features: CoreFeatures = HOST) -> CompileInfo:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ConfigError(f"model name {name!r} is not a C identifier; use letters, digits, _")
    label = "model bytes" if isinstance(model_path, (bytes, bytearray)) else str(model_path)
    graph = read_tflite(model_path)
    with _naming_the_file(label):
        unknown = unknown_ops(graph)  # before verify_graph: see unknown_ops
        if unknown:
            raise UnsupportedOpError("unsupported operators: " + "; ".join(unknown))
        verify_graph(graph)
        problems = unsupported_ops(graph)
        if problems:
            raise UnsupportedOpError("unsupported operators: " + "; ".join(problems))
        graph = fold_layout_transposes(graph)  # exact: always applied
    plain = graph
    lowered = _lower(graph, name, label, inplace_input, inplace_output, dedupe=not blob_mode,
                     features=features)
    graph, plan, emitter, summaries = lowered
    if arena is not None and plan.arena_size > arena:
        raise BoardFitError(f"{label}: the model needs a {plan.arena_size}-byte arena, more than "
                            f"the {arena} bytes allowed; choose a bigger board or a smaller model")
    input_offsets = ({t: plan.tensor_offsets[t] for t in graph.inputs} if inplace_input
                     else {})
    output_offsets = ({t: plan.tensor_offsets[t] for t in graph.outputs} if inplace_output
                      else {})
    blob = None
    if blob_mode:
        with _naming_the_file(label):
            variants = [_perturbed_emission(plain, seed, name, label, inplace_input,
                                            inplace_output, features) for seed in BLOB_SEEDS]
            blob = plan_blob(emitter, variants, io_details(graph, "input") + io_details(
                graph, "output"), plan.arena_size, {"inputs_in_arena": inplace_input,
                                                    "outputs_in_arena": inplace_output})
    sources = render_sources(graph, emitter, name, plan.arena_size, source=label,
                             input_offsets=input_offsets, output_offsets=output_offsets,
                             blob=blob, state=emitter.state)
    target_dir = Path(out_dir) if out_dir is not None else Path(
        tempfile.mkdtemp(prefix="microforge_")) / name
    blob_bytes = blob.blob_bytes() if blob is not None else None
    _write(target_dir, name, sources, emitter.kernels, blob_bytes)
    return CompileInfo(
        name=name, out_dir=target_dir, inputs=io_details(graph, "input"),
        outputs=io_details(graph, "output"), arena_size=plan.arena_size, plan=plan,
        weight_bytes=emitter.weight_bytes(), ops=summaries, kernels=list(emitter.kernels),
        uses_math=emitter.uses_math, inputs_in_arena=inplace_input,
        outputs_in_arena=inplace_output,
        weights="blob" if blob is not None else "baked",
        blob=blob_bytes, abi_hash=blob.abi_hash if blob is not None else None,
        state=emitter.state, features=features,
    )


def _perturbed_emission(graph: Graph, seed: int, name: str, label: str, inplace_input: bool,
                        inplace_output: bool, features: CoreFeatures = HOST) -> CEmitter:
    """The emission of a perturbed copy (codegen/perturb.py) for the blob mode's comparison."""
    try:
        return _lower(perturbed_graph(graph, seed), name, label, inplace_input, inplace_output,
                      dedupe=False, features=features)[2]
    except MicroforgeError as exc:
        raise ModelError(f"the blob mode could not compile the model with other trained "
                         f"values ({str(exc).removeprefix(label + ': ')}); compile with "
                         "--weights baked") from exc


def _lower(graph: Graph, name: str, label: str, inplace_input: bool, inplace_output: bool,
           dedupe: bool, features: CoreFeatures = HOST
           ) -> tuple[Graph, MemoryPlan, CEmitter, list[OpSummary]]:
    """Fuse, prepare, plan and emit a verified graph: (graph, plan, emitter, op summaries)."""
    with _naming_the_file(label):
        plain = graph
        for fuse in FUSIONS:  # each verifies its result
            graph = fuse(graph)
        graph, prepared, costs, hints, plan = _prepare_and_plan(graph, inplace_input,
                                                                inplace_output)
        if graph is not plain:  # fusions trade a tensor for scratch rows: keep the smaller
            unfused = _prepare_and_plan(plain, inplace_input, inplace_output)
            if unfused[4].arena_size < plan.arena_size:
                graph, prepared, costs, hints, plan = unfused
        if plan.arena_size > MAX_ARENA_BYTES:
            raise ModelError(f"the memory plan needs a {plan.arena_size:,}-byte arena, more "
                             f"than the limit of {MAX_ARENA_BYTES:,}")
    aliases = {op.outputs[0]: op.inputs[h.alias_input] for op in graph.operators
               if (h := hints[op.index]).alias_input is not None}
    emitter = CEmitter(graph, f"mf_{name}", dict(plan.tensor_offsets),
                       dict(plan.scratch_offsets), aliases, dedupe=dedupe,
                       state=layout_state(graph), features=features)
    summaries = []
    order = list(plan.order or [op.index for op in graph.operators])
    for op_index in order:  # the planner may reorder operators to lower the peak
        op, (opdef, params), cost = graph.operators[op_index], prepared[op_index], costs[op_index]
        emitter.begin_op(op.index, op.op_type)
        before = list(emitter.kernels)
        opdef.emit(op, graph, params, emitter)
        condition = guard_condition(op, emitter)
        if condition is not None and op.op_type not in SELF_GUARDED:
            emitter.guard_current(condition)
        new = tuple(k for k in emitter.kernels if k not in before)
        summaries.append(OpSummary(op.index, op.op_type, new, cost,
                                   emitter.variants.get(op.index)))
    return graph, plan, emitter, summaries


@contextlib.contextmanager
def _naming_the_file(label: str) -> Iterator[None]:
    """Errors of the checks after reading name the op or tensor; prefix them with the file."""
    try:
        yield
    except ModelError as exc:
        message = str(exc)
        if message.startswith(f"{label}: "):
            raise
        raise type(exc)(f"{label}: {message}") from exc


def _prepare_and_plan(graph: Graph, inputs_in_arena: bool, outputs_in_arena: bool):
    """(graph, prepared (opdef, params) per op, costs, memory hints, memory plan)."""
    prepared: list[tuple[OpDef, Any]] = []
    hints: dict[int, MemoryHints] = {}
    costs: list[Cost] = []
    for op in graph.operators:
        opdef = get_op(op.op_type)
        assert opdef is not None
        opdef.check_shapes(op, graph)
        params = opdef.prepare(op, graph)
        prepared.append((opdef, params))
        costs.append(opdef.cost(op, graph, params))
        hints[op.index] = opdef.memory(op, graph, params)
    plan = plan_memory(graph, hints, inputs_in_arena=inputs_in_arena,
                       outputs_in_arena=outputs_in_arena)
    return graph, prepared, costs, hints, plan


def _write(target: Path, name: str, sources: dict[str, str], kernels: list[str],
           blob: bytes | None) -> None:
    with atomic_dir(target) as tmp:
        for filename, text in sources.items():
            (tmp / filename).write_text(text, encoding="utf-8")
        if blob is not None:
            (tmp / f"{name}.blob").write_bytes(blob)
        shutil.copy2(KERNELS_DIR / "mf_common.h", tmp / "mf_common.h")
        for kernel in kernels:
            for ext in (".h", ".c"):
                src = KERNELS_DIR / f"{kernel}{ext}"
                if src.exists():
                    shutil.copy2(src, tmp / src.name)
                elif ext == ".h":
                    raise FileNotFoundError(f"runtime kernel header {src} is missing")
        os.chmod(tmp, 0o755)
