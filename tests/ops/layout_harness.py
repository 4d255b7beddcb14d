"""A small test harness for op modules: read a .tflite, run each op's prepare + emit through a
minimal EmitContext, compile the statements and the used kernels with gcc (C99, warnings as
errors) into a shared library, and call it through ctypes. No codegen, no memory planner:
every intermediate tensor gets its own static buffer, graph inputs/outputs are arguments.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph
from microforge.ir.tensor import DTYPE_C, DTYPE_NUMPY
from microforge.ir.tflite_reader import read_tflite
from microforge.ir.verifier import verify_graph
from microforge.ops.base import get_op
from microforge.paths import RUNTIME_DIR

KERNELS = RUNTIME_DIR / "kernels"
CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-shared", "-fPIC"]


def _c_literal(value: object, c_type: str) -> str:
    if c_type == "float":
        return float(np.float32(value)).hex() + "f"
    text = str(int(value))  # type: ignore[call-overload]
    return "(-2147483647 - 1)" if text == "-2147483648" else text


class HarnessContext:
    """EmitContext for the harness (see microforge.ops.base.EmitContext)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.kernels: list[str] = []
        self.decls: list[str] = []
        self.statements: list[str] = []
        self.scratch_bytes = 0

    def use_kernel(self, name: str) -> None:
        if name not in self.kernels:
            self.kernels.append(name)

    def kernel_function(self, kernel: str, params: object, in_place: bool = False) -> str:
        return f"mf_{kernel}"  # the host harness: the portable kernels

    def const(self, hint: str, array: np.ndarray) -> str:
        flat = np.ascontiguousarray(array).reshape(-1)
        c_type = DTYPE_C.get(str(flat.dtype))
        if c_type is None:
            raise TypeError(f"cannot emit a {flat.dtype} constant")
        symbol = f"k{len(self.decls)}_{''.join(ch if ch.isalnum() else '_' for ch in hint)}"
        values = ", ".join(_c_literal(v, c_type) for v in flat) if flat.size else "0"
        self.decls.append(f"static const {c_type} {symbol}[{max(flat.size, 1)}] = {{{values}}};")
        return symbol

    def ptr(self, tensor_index: int) -> str:
        if tensor_index == NO_TENSOR:
            return "NULL"
        g = self.graph
        t = g.tensors[tensor_index]
        c_type = DTYPE_C[t.dtype]
        if tensor_index in g.inputs:
            return f"(({c_type} *)in{g.inputs.index(tensor_index)})"
        if tensor_index in g.outputs:
            return f"(({c_type} *)out{g.outputs.index(tensor_index)})"
        if t.data is not None:
            return self.const(f"t{tensor_index}", t.data)
        symbol = f"buf{tensor_index}"
        if not any(d.startswith(f"static {c_type} {symbol}[") for d in self.decls):
            self.decls.append(f"static {c_type} {symbol}[{max(t.num_elements, 1)}];")
        return symbol

    def scratch(self) -> str:
        return "((void *)scratch)"

    def call(self, statement: str) -> None:
        self.statements.append(statement)


class OpLibrary:
    """The compiled graph: `run(inputs) -> outputs`, like verify.tflm.run_tflm."""

    def __init__(self, graph: Graph, so_path: Path) -> None:
        self.graph = graph
        self.lib = ctypes.CDLL(str(so_path))
        self.fn = self.lib.mf_harness_run
        self.fn.restype = ctypes.c_int
        self.fn.argtypes = [ctypes.c_void_p] * (len(graph.inputs) + len(graph.outputs))

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        g = self.graph
        ins = [np.ascontiguousarray(a, dtype=DTYPE_NUMPY[g.tensors[i].dtype]).reshape(
            g.tensors[i].shape) for a, i in zip(inputs, g.inputs, strict=True)]
        outs = [np.zeros(g.tensors[i].shape, DTYPE_NUMPY[g.tensors[i].dtype]) for i in g.outputs]
        args = [a.ctypes.data_as(ctypes.c_void_p) for a in ins + outs]
        assert self.fn(*args) == 0
        return outs


def generate_c(graph: Graph) -> tuple[str, list[str]]:
    """C source of `mf_harness_run(in..., out...)` and the kernels it needs."""
    ctx = HarnessContext(graph)
    for op in graph.operators:
        opdef = get_op(op.op_type)
        assert opdef is not None, f"no op module for {op.op_type}"
        reason = opdef.unsupported_reason(op, graph)
        assert reason is None, f"{op.op_type}: {reason}"
        opdef.check_shapes(op, graph)
        params = opdef.prepare(op, graph)
        ctx.scratch_bytes = max(ctx.scratch_bytes, opdef.memory(op, graph, params).scratch_bytes)
        opdef.emit(op, graph, params, ctx)
    args = [f"void *in{i}" for i in range(len(graph.inputs))]
    args += [f"void *out{i}" for i in range(len(graph.outputs))]
    lines = ["#include <stddef.h>", "#include <stdint.h>", "#include <string.h>",
             "#include <float.h>", '#include "mf_common.h"']
    lines += [f'#include "{k}.h"' for k in ctx.kernels]
    lines.append(f"static int32_t scratch[{max(ctx.scratch_bytes // 4 + 1, 1)}];")
    lines += ctx.decls
    lines.append(f"int mf_harness_run({', '.join(args)});")
    lines.append(f"int mf_harness_run({', '.join(args)}) {{")
    lines.append("    (void)scratch;")
    lines += [f"    {s}" for s in ctx.statements]
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines), ctx.kernels


def build_library(model: bytes | Graph, work_dir: Path) -> OpLibrary:
    """Compile a .tflite (bytes) or a Graph through the op modules into a ctypes library."""
    graph = model if isinstance(model, Graph) else read_tflite(model)
    verify_graph(graph)
    source, kernels = generate_c(graph)
    work_dir.mkdir(parents=True, exist_ok=True)
    c_file = work_dir / "harness.c"
    c_file.write_text(source)
    sources = [str(c_file)] + [str(KERNELS / f"{k}.c") for k in kernels
                               if (KERNELS / f"{k}.c").exists()]
    so = work_dir / "libharness.so"
    gcc = shutil.which("gcc")
    assert gcc is not None, "gcc is needed for the op harness"
    done = subprocess.run([gcc, *CFLAGS, "-I", str(KERNELS), *sources, "-o", str(so), "-lm"],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"gcc failed:\n{done.stderr[:3000]}\n--- source ---\n{source}"
    return OpLibrary(graph, so)



FLOAT_RTOL = 1e-5  # float32 ops: stated tolerance against TFLM (int8: bit-exact)
TFLM_ARENA = 1 << 20  # TFLM's default (10x the model size) is too small for tiny models


def tflm_reference(model: bytes, samples: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """TFLM outputs for each sample (an interpreter with a 1 MiB arena)."""
    from tflite_micro.python.tflite_micro import runtime

    from microforge.runners.tflm import run_tflm

    interp = runtime.Interpreter.from_bytes(bytes(model), arena_size=TFLM_ARENA)
    return [run_tflm(model, sample, interp) for sample in samples]


def assert_same(expected: list[np.ndarray], got: list[np.ndarray], what: str) -> None:
    """int8: identical; float32: within FLOAT_RTOL (atol 1e-6)."""
    assert len(expected) == len(got), what
    for i, (e, g) in enumerate(zip(expected, got, strict=True)):
        assert e.size == g.size, f"{what} output {i}: {e.shape} vs {g.shape}"
        g = g.reshape(e.shape)
        if e.dtype == np.float32:
            np.testing.assert_allclose(g, e, rtol=FLOAT_RTOL, atol=1e-6, err_msg=what)
        else:
            assert e.dtype == g.dtype, (what, e.dtype, g.dtype)
            mismatch = int(np.count_nonzero(e != g))
            assert mismatch == 0, f"{what} output {i}: {mismatch}/{e.size} values differ"


def check_both_layers(model: bytes, work_dir: Path, n_inputs: int = 5, seed: int = 0) -> int:
    """Layer 1 (this harness) and layer 2 (microforge.compile, host build) against TFLM on
    `n_inputs` seeded random input sets. Returns the number of cases compared."""
    from tests.ops.tflite_build import random_inputs

    check_samples(model, work_dir, random_inputs(model, n_inputs, seed=seed))
    return n_inputs


def check_samples(model: bytes, work_dir: Path, samples: list[list[np.ndarray]]) -> None:
    """Both layers against TFLM on the given input sets (for ops whose inputs need a range)."""
    import microforge

    reference = tflm_reference(model, samples)
    harness = build_library(model, work_dir / "harness")
    compiled = microforge.compile(model, work_dir / "compiled")
    for k, (sample, expected) in enumerate(zip(samples, reference, strict=True)):
        assert_same(expected, harness.run(sample), f"harness sample {k}")
        assert_same(expected, compiled.run(sample), f"compiled sample {k}")


# -- hand-built .tflite files (the converter turns tf.squeeze / tf.expand_dims into RESHAPE) --

_TFLITE_TYPES = {"float32": 0, "int32": 2, "uint8": 3, "int64": 4, "bool": 6, "int16": 7,
                 "int8": 9, "uint32": 15}


@dataclass(frozen=True)
class RawTensor:
    shape: tuple[int, ...]
    dtype: str
    quant: tuple[float, int] | None = None  # (scale, zero point)
    data: np.ndarray | None = None
    variable: bool = False  # is_variable: state kept between invokes


@dataclass(frozen=True)
class RawOp:
    op_type: str  # builtin name, e.g. "SQUEEZE"
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    squeeze_dims: tuple[int, ...] | None = None  # SqueezeOptions, when given
    # any other options table of int32 scalars: (class name, values in schema slot order),
    # e.g. ("PackOptions", (values_count, axis))
    int_options: tuple[str, tuple[int, ...]] | None = None


def raw_tflite(tensors: list[RawTensor], ops: list[RawOp], inputs: list[int],
               outputs: list[int]) -> bytes:
    """A one-subgraph .tflite written with the flatbuffers builder (schema field order)."""
    import flatbuffers
    from tflite.BuiltinOperator import BuiltinOperator
    from tflite.BuiltinOptions import BuiltinOptions

    b = flatbuffers.Builder(1024)

    def ints(values: Sequence[int]) -> int:
        b.StartVector(4, len(values), 4)
        for v in reversed(list(values)):
            b.PrependInt32(int(v))
        return b.EndVector()

    def offsets(items: Sequence[int]) -> int:
        b.StartVector(4, len(items), 4)
        for item in reversed(list(items)):
            b.PrependUOffsetTRelative(item)
        return b.EndVector()

    buffers, tensor_tables = [], []
    b.StartObject(3)
    buffers.append(b.EndObject())  # buffer 0: empty, by convention
    for index, t in enumerate(tensors):
        buffer_index = 0
        if t.data is not None:
            raw = np.ascontiguousarray(t.data).astype(t.data.dtype.newbyteorder("<")).tobytes()
            data = b.CreateNumpyVector(np.frombuffer(raw, dtype=np.uint8))
            b.StartObject(3)
            b.PrependUOffsetTRelativeSlot(0, data, 0)
            buffers.append(b.EndObject())
            buffer_index = len(buffers) - 1
        name, shape = b.CreateString(f"t{index}"), ints(t.shape)
        quant = None
        if t.quant is not None:
            b.StartVector(4, 1, 4)
            b.PrependFloat32(t.quant[0])
            scale = b.EndVector()
            b.StartVector(8, 1, 8)
            b.PrependInt64(t.quant[1])
            zero_point = b.EndVector()
            b.StartObject(7)
            b.PrependUOffsetTRelativeSlot(2, scale, 0)
            b.PrependUOffsetTRelativeSlot(3, zero_point, 0)
            quant = b.EndObject()
        b.StartObject(6)
        b.PrependUOffsetTRelativeSlot(0, shape, 0)
        b.PrependInt8Slot(1, _TFLITE_TYPES[t.dtype], 0)
        b.PrependUint32Slot(2, buffer_index, 0)
        b.PrependUOffsetTRelativeSlot(3, name, 0)
        if quant is not None:
            b.PrependUOffsetTRelativeSlot(4, quant, 0)
        if t.variable:
            b.PrependBoolSlot(5, True, False)
        tensor_tables.append(b.EndObject())
    op_types = sorted({op.op_type for op in ops})
    codes = []
    for op_type in op_types:
        code = getattr(BuiltinOperator, op_type)
        b.StartObject(4)
        b.PrependInt8Slot(0, min(code, 127), 0)
        b.PrependInt32Slot(2, 1, 1)
        b.PrependInt32Slot(3, code, 0)
        codes.append(b.EndObject())
    op_tables = []
    for op in ops:
        options, options_type = None, 0
        if op.squeeze_dims is not None:
            dims = ints(op.squeeze_dims)
            b.StartObject(1)
            b.PrependUOffsetTRelativeSlot(0, dims, 0)
            options, options_type = b.EndObject(), BuiltinOptions.SqueezeOptions
        elif op.int_options is not None:
            class_name, values = op.int_options
            b.StartObject(len(values))
            for slot, value in enumerate(values):
                b.PrependInt32Slot(slot, int(value), 0)
            options, options_type = b.EndObject(), getattr(BuiltinOptions, class_name)
        op_in, op_out = ints(op.inputs), ints(op.outputs)
        b.StartObject(5)
        b.PrependUint32Slot(0, op_types.index(op.op_type), 0)
        b.PrependUOffsetTRelativeSlot(1, op_in, 0)
        b.PrependUOffsetTRelativeSlot(2, op_out, 0)
        if options is not None:
            b.PrependUint8Slot(3, options_type, 0)
            b.PrependUOffsetTRelativeSlot(4, options, 0)
        op_tables.append(b.EndObject())
    tensor_vec, op_vec = offsets(tensor_tables), offsets(op_tables)
    in_vec, out_vec, sub_name = ints(inputs), ints(outputs), b.CreateString("main")
    b.StartObject(5)
    b.PrependUOffsetTRelativeSlot(0, tensor_vec, 0)
    b.PrependUOffsetTRelativeSlot(1, in_vec, 0)
    b.PrependUOffsetTRelativeSlot(2, out_vec, 0)
    b.PrependUOffsetTRelativeSlot(3, op_vec, 0)
    b.PrependUOffsetTRelativeSlot(4, sub_name, 0)
    subgraph = b.EndObject()
    code_vec, sub_vec, buf_vec = offsets(codes), offsets([subgraph]), offsets(buffers)
    b.StartObject(5)
    b.PrependUint32Slot(0, 3, 0)
    b.PrependUOffsetTRelativeSlot(1, code_vec, 0)
    b.PrependUOffsetTRelativeSlot(2, sub_vec, 0)
    b.PrependUOffsetTRelativeSlot(4, buf_vec, 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    return bytes(b.Output())
