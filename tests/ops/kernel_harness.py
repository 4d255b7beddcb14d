"""Run an op module's prepare + emit + hand-written C kernel on the host, without codegen.

`build_op_library(cases, tmp_path)` prepares every (graph, operator) case with its registered
OpDef, lets it emit through a small EmitContext, writes one C wrapper function per case and
compiles the wrapper with the used kernels into one shared library (gcc -std=c99 -Wall -Wextra
-Werror -pedantic). `OpLibrary.run(k, inputs)` calls case k on numpy buffers; `run_graph`
chains every operator of a graph like an interpreter. Helpers at the end edit a .tflite's
quantization parameters and opcodes in place, to test many parameter sets with one conversion.
"""

from __future__ import annotations

import ctypes
import shutil
import struct
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ir.tensor import DTYPE_C, DTYPE_NUMPY
from microforge.ops.base import MemoryHints, get_op
from microforge.paths import RUNTIME_DIR

KERNELS_DIR = RUNTIME_DIR / "kernels"
GCC_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-shared", "-fPIC"]


def compile_shared_library(kernels: Sequence[str], wrapper: str, out_dir: Path,
                           name: str = "harness") -> ctypes.CDLL:
    """Compile wrapper C text + runtime/kernels/<kernel>.c files into <out_dir>/lib<name>.so."""
    gcc = shutil.which("gcc")
    assert gcc is not None, "gcc is needed for the kernel harness"
    out_dir.mkdir(parents=True, exist_ok=True)
    wrapper_path = out_dir / f"{name}.c"
    wrapper_path.write_text(wrapper, encoding="utf-8")
    sources = [str(p) for k in kernels if (p := KERNELS_DIR / f"{k}.c").exists()]
    so = out_dir / f"lib{name}.so"
    cmd = [gcc, *GCC_FLAGS, "-I", str(KERNELS_DIR), str(wrapper_path), *sources, "-o", str(so),
           "-lm"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, f"gcc failed:\n{result.stderr[:4000]}"
    return ctypes.CDLL(str(so))


def _c_literal(value: float | int, c_type: str) -> str:
    if c_type == "float":
        text = repr(float(np.float32(value)))
        return text + ("f" if "e" in text or "." in text else ".0f")
    if c_type == "int32_t" and int(value) == -(2**31):
        return "(-2147483647 - 1)"
    return str(int(value))


@dataclass
class HarnessEmitter:
    """EmitContext for one case: non-constant tensors are `bufs[j]` of the case function."""

    graph: Graph
    op: Operator
    prefix: str
    kernels: list[str] = field(default_factory=list)
    consts: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    buffers: list[int] = field(default_factory=list)  # tensor index of bufs[j]

    def use_kernel(self, name: str) -> None:
        if name not in self.kernels:
            self.kernels.append(name)

    def kernel_function(self, kernel: str, params: object, in_place: bool = False) -> str:
        return f"mf_{kernel}"  # the host harness: the portable kernels

    def const(self, hint: str, array: np.ndarray) -> str:
        values = np.ascontiguousarray(array).reshape(-1)
        c_type = DTYPE_C[str(values.dtype)]
        symbol = f"{self.prefix}_{hint}_{len(self.consts)}"
        body = ", ".join(_c_literal(v, c_type) for v in values) or "0"
        self.consts.append(f"static const {c_type} {symbol}[{max(values.size, 1)}] = {{{body}}};")
        return symbol

    def ptr(self, tensor_index: int) -> str:
        if tensor_index == NO_TENSOR:
            return "NULL"
        tensor = self.graph.tensors[tensor_index]
        if tensor.is_constant:
            assert tensor.data is not None
            return self.const(f"t{tensor_index}", tensor.data)
        if tensor_index not in self.buffers:
            self.buffers.append(tensor_index)
        return f"(({tensor.c_type} *)bufs[{self.buffers.index(tensor_index)}])"

    def scratch(self) -> str:
        raise AssertionError("the elementwise harness gives no scratch buffers")

    def call(self, statement: str) -> None:
        self.statements.append(statement)


@dataclass
class PreparedCase:
    graph: Graph
    op: Operator
    emitter: HarnessEmitter
    hints: MemoryHints


def prepare_case(graph: Graph, op: Operator, prefix: str) -> PreparedCase:
    opdef = get_op(op.op_type)
    assert opdef is not None, f"no op module for {op.op_type}"
    reason = opdef.unsupported_reason(op, graph)
    assert reason is None, f"{op.op_type} unsupported: {reason}"
    opdef.check_shapes(op, graph)
    params = opdef.prepare(op, graph)
    emitter = HarnessEmitter(graph, op, prefix)
    for index in (*op.inputs, *op.outputs):  # bufs order: inputs, then outputs
        if index != NO_TENSOR and not graph.tensors[index].is_constant:
            emitter.ptr(index)
    opdef.emit(op, graph, params, emitter)
    return PreparedCase(graph, op, emitter, opdef.memory(op, graph, params))


class OpLibrary:
    """Compiled cases; run(k, inputs) returns the outputs of case k."""

    def __init__(self, cases: list[PreparedCase], lib: ctypes.CDLL) -> None:
        self.cases = cases
        self.lib = lib

    def run(self, k: int, inputs: Sequence[np.ndarray], inplace: bool = False) -> list[np.ndarray]:
        """inplace: the output shares input `MemoryHints.inplace_input`'s buffer."""
        case = self.cases[k]
        graph, op = case.graph, case.op
        values = dict(zip([i for i in op.inputs if not graph.tensors[i].is_constant], inputs,
                          strict=True))
        arrays: dict[int, np.ndarray] = {}
        for t in case.emitter.buffers:
            tensor = graph.tensors[t]
            if t in values:
                arrays[t] = np.ascontiguousarray(values[t], dtype=DTYPE_NUMPY[tensor.dtype]).copy()
            else:
                arrays[t] = np.zeros(tensor.shape, DTYPE_NUMPY[tensor.dtype])
        raw = {t: a.view(np.uint8).reshape(-1) for t, a in arrays.items()}
        if inplace:
            assert case.hints.inplace_input is not None, f"{op.op_type} is not in-place capable"
            shared = raw[op.inputs[case.hints.inplace_input]]
            out = op.outputs[0]
            assert shared.nbytes >= raw[out].nbytes
            raw[out] = shared
        pointers = (ctypes.c_void_p * len(case.emitter.buffers))(
            *[raw[t].ctypes.data for t in case.emitter.buffers])
        getattr(self.lib, f"mf_case_{k}")(pointers)
        results = []
        for t in op.outputs:
            tensor = graph.tensors[t]
            data = raw[t][:tensor.nbytes].view(DTYPE_NUMPY[tensor.dtype])
            results.append(data.reshape(tensor.shape).copy())
        return results


def build_op_library(cases: Sequence[tuple[Graph, Operator]], out_dir: Path) -> OpLibrary:
    prepared = [prepare_case(g, op, f"c{k}") for k, (g, op) in enumerate(cases)]
    kernels: list[str] = []
    for case in prepared:
        kernels += [k for k in case.emitter.kernels if k not in kernels]
    lines = ["#include <float.h>", "#include <stddef.h>", "#include <stdint.h>",
             '#include "mf_common.h"', *[f'#include "{k}.h"' for k in kernels], ""]
    for k, case in enumerate(prepared):
        lines += case.emitter.consts
        lines.append(f"void mf_case_{k}(void **bufs);")
        lines.append(f"void mf_case_{k}(void **bufs) {{")
        lines.append("    (void)bufs;")
        lines += [f"    {s}" for s in case.emitter.statements]
        lines.append("}")
    lib = compile_shared_library(kernels, "\n".join(lines) + "\n", out_dir)
    for k in range(len(prepared)):
        getattr(lib, f"mf_case_{k}").argtypes = [ctypes.c_void_p]
    return OpLibrary(prepared, lib)


def run_graph(graph: Graph, out_dir: Path, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Run every operator of the graph in order through the harness (one library)."""
    library = build_op_library([(graph, op) for op in graph.operators], out_dir)
    values = dict(zip(graph.inputs, inputs, strict=True))
    for k, op in enumerate(graph.operators):
        args = [values[i] for i in op.inputs if not graph.tensors[i].is_constant]
        values.update(zip(op.outputs, library.run(k, args), strict=True))
    return [values[i] for i in graph.outputs]


# -- editing a .tflite in place (numpy views on the flatbuffer bytes) --------------------------
def set_quantization(model: bytearray, tensor_index: int, scale: float, zero_point: int) -> None:
    """Overwrite a per-tensor quantized tensor's scale and zero point."""
    import tflite

    quant = tflite.Model.GetRootAsModel(model, 0).Subgraphs(0).Tensors(tensor_index).Quantization()
    scales, zero_points = quant.ScaleAsNumpy(), quant.ZeroPointAsNumpy()
    assert scales.size == 1 and zero_points.size == 1, "tensor is not per-tensor quantized"
    scales[0] = np.float32(scale)
    zero_points[0] = zero_point


def set_builtin_opcode(model: bytearray, opcode_index: int, builtin: int) -> None:
    """Turn operator code `opcode_index` into another builtin (both code fields present)."""
    import tflite

    code = tflite.Model.GetRootAsModel(model, 0).OperatorCodes(opcode_index)
    tab = code._tab
    for vtable_slot, fmt in ((4, "<b"), (10, "<i")):  # deprecated_builtin_code, builtin_code
        offset = tab.Offset(vtable_slot)
        assert offset, "the opcode field is absent from this flatbuffer"
        struct.pack_into(fmt, model, tab.Pos + offset, min(builtin, 127) if fmt == "<b"
                         else builtin)


def random_quantization(model: bytes, rng: np.random.Generator, tensors: Sequence[int],
                        log10_scale: tuple[float, float] = (-4.0, 1.0)) -> bytes:
    """A copy of the model with random scales (log-uniform) and zero points on `tensors`."""
    edited = bytearray(model)
    for t in tensors:
        set_quantization(edited, t, 10.0 ** rng.uniform(*log10_scale),
                         int(rng.integers(-128, 128)))
    return bytes(edited)


# -- comparing with TFLM ------------------------------------------------------------------------
@dataclass
class Comparison:
    """What a comparison covered: models (parameter sets), invocations, values, skipped sets."""

    models: int = 0
    invocations: int = 0
    values: int = 0
    skipped: int = 0


def sample_inputs(graph: Graph, rng: np.random.Generator, n: int) -> list[list[np.ndarray]]:
    """n input sets: int8 -> a ramp over every value first, then extremes, then random;
    int16 -> extremes first, then uniform and normal (sd 4000) values in turn; float32 -> random values of varied magnitude."""
    samples = []
    for s in range(n):
        sample = []
        for position, index in enumerate(graph.inputs):
            t = graph.tensors[index]
            if t.dtype == "int8":
                if s == 0:
                    ramp = np.roll(np.arange(-128, 128), 37 * position)
                    value = np.resize(ramp, t.num_elements)
                elif s == 1:
                    value = rng.choice([-128, -127, 0, 126, 127], t.num_elements)
                else:
                    value = rng.integers(-128, 128, t.num_elements)
                sample.append(value.astype(np.int8).reshape(t.shape))
            elif t.dtype == "int16":
                if s == 0:
                    value = rng.choice([-32768, -32767, -1, 0, 1, 32766, 32767], t.num_elements)
                elif s % 2:
                    value = rng.integers(-32768, 32768, t.num_elements)
                else:  # the magnitudes a 16x8 model sees (a few thousand)
                    value = np.clip(rng.standard_normal(t.num_elements) * 4000, -32768, 32767)
                sample.append(value.astype(np.int16).reshape(t.shape))
            else:
                magnitude = 10.0 ** rng.uniform(-2, 2)
                sample.append((rng.standard_normal(t.shape) * magnitude).astype(np.float32))
        samples.append(sample)
    return samples


def compare_with_tflm(models: Sequence[bytes], out_dir: Path, rng: np.random.Generator,
                      n_samples: int = 4, rtol: float = 1e-5,
                      tflm_rejects_skipped: bool = False) -> Comparison:
    """Every single-op model through TFLM and through the harness (normal and in-place):
    int8 outputs must be identical, float32 within rtol. Models the op module declares
    unsupported are counted as skipped (tflm_rejects_skipped: and TFLM must refuse them)."""
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    result = Comparison()
    kept: list[tuple[bytes, Graph]] = []
    for model in models:
        graph = read_tflite(bytes(model))
        assert len(graph.operators) == 1, [o.op_type for o in graph.operators]
        opdef = get_op(graph.operators[0].op_type)
        assert opdef is not None
        if opdef.unsupported_reason(graph.operators[0], graph) is not None:
            result.skipped += 1
            if tflm_rejects_skipped:
                from microforge.errors import ModelError

                try:
                    run_tflm(bytes(model), sample_inputs(graph, rng, 1)[0])
                except ModelError:
                    continue
                raise AssertionError("TFLM runs a model the op module calls unsupported")
            continue
        kept.append((bytes(model), graph))
    if not kept:
        return result
    library = build_op_library([(g, g.operators[0]) for _, g in kept], out_dir)
    for k, (model, graph) in enumerate(kept):
        op = graph.operators[0]
        interpreter = tflm_interpreter(model)
        for sample in sample_inputs(graph, rng, n_samples):
            expected = run_tflm(model, sample, interpreter)
            by_tensor = dict(zip(graph.inputs, sample, strict=True))
            args = [by_tensor[i] for i in op.inputs if not graph.tensors[i].is_constant]
            modes = [False] + ([True] if library.cases[k].hints.inplace_input is not None
                               else [])
            for inplace in modes:
                got = library.run(k, args, inplace=inplace)
                for g, e in zip(got, expected, strict=True):
                    message = f"{op.op_type} case {k} (in-place={inplace})"
                    if e.dtype == np.float32:
                        np.testing.assert_allclose(g, e, rtol=rtol, atol=0, err_msg=message)
                    else:
                        np.testing.assert_array_equal(g, e, err_msg=message)
                    result.values += e.size
            result.invocations += 1
        result.models += 1
    return result


def set_fused_activation(model: bytearray, op_index: int, activation: int) -> None:
    """Overwrite field 0 (fused_activation_function) of an ADD/SUB/MUL's options table; the
    field must be present (converted with a non-NONE activation)."""
    import tflite

    op = tflite.Model.GetRootAsModel(model, 0).Subgraphs(0).Operators(op_index)
    table = op.BuiltinOptions()
    assert table is not None, "operator has no options table"
    offset = table.Offset(4)
    assert offset, "fused_activation_function is absent (NONE); convert with an activation"
    struct.pack_into("<b", model, table.Pos + offset, activation)
