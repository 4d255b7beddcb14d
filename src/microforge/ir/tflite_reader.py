"""Read a .tflite flatbuffer into the IR, validating everything the compiler relies on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from microforge.errors import ModelError, UnsupportedOpError
from microforge.ir.control_flow import inline_control_flow, subgraph_indices
from microforge.ir.custom_options import read_custom_options
from microforge.ir.graph import NO_TENSOR, Graph, Operator, VariableInit, variable_key
from microforge.ir.tensor import DTYPE_NUMPY, QuantParams, Tensor
from microforge.ir.tflite_options import read_options

# TFLite TensorType -> numpy dtype name (types the IR knows); others are reported by name.
# uint32 and uint64 are the spectra and filterbank energies of TFLM's signal ops; the compiler
# checks that only ops declaring them in their dtypes touch them (codegen/compiler.py)
_TENSOR_TYPES = {0: "float32", 2: "int32", 3: "uint8", 4: "int64", 6: "bool", 7: "int16", 9: "int8",
                 12: "uint64", 13: "resource", 15: "uint32"}
# Limits checked before anything is computed or written (docs/reliability.md): a model beyond
# them is corrupt or far too big for a microcontroller.
MAX_NAME_BYTES = 4096  # tensor / subgraph names
MAX_RANK = 8
MAX_DIM = 1 << 24  # one dimension
MAX_TENSOR_ELEMENTS = 1 << 26  # elements of one tensor (256 MiB of float32)
MAX_GRAPH_BYTES = 1 << 30  # all tensors together
MAX_OP_TENSORS = 1024  # inputs or outputs of one operator
# quantization scales: a float32 normal number far from its limits (converters produce scales
# of about 1e-10 .. 1e4); beyond this, the compile-time float32 arithmetic overflows
SCALE_RANGE = (1e-30, 1e30)
# zero points the TFLite converter can produce for a quantized tensor of each type
_ZERO_POINT_RANGE = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767),
                     "int32": (-(2**31), 2**31 - 1), "int64": (-(2**31), 2**31 - 1),
                     "float32": (-(2**31), 2**31 - 1), "bool": (0, 1),
                     "uint32": (0, 0), "uint64": (0, 0)}
_TYPE_NAMES = {
    1: "FLOAT16", 5: "STRING", 8: "COMPLEX64", 10: "FLOAT64", 11: "COMPLEX128",
    14: "VARIANT", 16: "UINT16", 17: "INT4", 18: "BFLOAT16",
}


def read_tflite(source: str | os.PathLike[str] | bytes | bytearray | memoryview) -> Graph:
    """Parse a .tflite file (path or bytes) into a validated Graph; raises ModelError."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, label = bytes(source), "model bytes"
    else:
        path = Path(source)
        label = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ModelError(f"{label}: cannot read the model file ({exc.strerror})") from exc
    return _Reader(data, label).graph()


class _Reader:
    def __init__(self, data: bytes, label: str) -> None:
        self.data = data
        self.label = label

    def fail(self, message: str) -> ModelError:
        return ModelError(f"{self.label}: {message}")

    def graph(self) -> Graph:
        import tflite

        if len(self.data) < 8 or self.data[4:8] != b"TFL3":
            raise self.fail("not a TFLite model (file identifier 'TFL3' missing); pass a .tflite")
        try:
            model = tflite.Model.GetRootAsModel(self.data, 0)
            n_subgraphs = model.SubgraphsLength()
            if n_subgraphs < 1:
                raise self.fail("the model has no subgraph")
            sub = model.Subgraphs(0)
            codes = [model.OperatorCodes(i) for i in range(model.OperatorCodesLength())]
            opcodes = [self._opcode(code, i) for i, code in enumerate(codes)]
            versions = [max(1, int(code.Version())) for code in codes]
            buffers = [model.Buffers(i) for i in range(model.BuffersLength())]
            tensors = [self._tensor(sub.Tensors(i), i, buffers) for i in range(sub.TensorsLength())]
            operators = [self._operator(sub.Operators(i), i, opcodes, versions, len(tensors))
                         for i in range(sub.OperatorsLength())]
            init_subgraphs, bodies = self._init_subgraphs(model, n_subgraphs, operators,
                                                          opcodes, versions, buffers)
            inputs = self._indices(sub.InputsAsNumpy(), len(tensors), "graph input")
            outputs = self._indices(sub.OutputsAsNumpy(), len(tensors), "graph output")
            description = self._string(model.Description(), "the model description") or ""
            name = self._string(sub.Name(), "the subgraph name") or "main"
        except ModelError:
            raise
        except Exception as exc:  # a corrupt flatbuffer makes the accessors read out of range
            raise self.fail(f"corrupt or truncated flatbuffer ({type(exc).__name__}: {exc})") from exc
        if not inputs or not outputs:
            raise self.fail("the model declares no graph inputs or no graph outputs")
        total = sum(t.nbytes for t in tensors)
        if total > MAX_GRAPH_BYTES:
            raise self.fail(f"the tensors need {total:,} bytes in all, more than the limit of "
                            f"{MAX_GRAPH_BYTES:,}; the file is corrupt or the model is far too "
                            "big for a microcontroller")
        graph = Graph(name, tensors, operators, inputs, outputs, description, init_subgraphs)
        try:
            return inline_control_flow(graph, bodies)
        except ModelError as exc:
            raise self.fail(str(exc)) from exc

    def _init_subgraphs(self, model: Any, n_subgraphs: int, operators: list[Operator],
                        opcodes: list[str], versions: list[int], buffers: list[Any]
                        ) -> tuple[dict[int, tuple[VariableInit, ...]], dict[int, Graph]]:
        """The subgraphs beyond the first: CALL_ONCE's init subgraphs that assign constants to
        resource variables (the streaming-model pattern), and the branches and loop bodies of
        IF and WHILE (ir/control_flow.py inlines them); any other subgraph is refused."""
        if n_subgraphs == 1:
            return {}, {}
        graphs = {index: self._subgraph(model, index, opcodes, versions, buffers)
                  for index in range(1, n_subgraphs)}
        called_once = {int(op.options.get("init_subgraph_index", -1)) for op in operators
                       if op.op_type == "CALL_ONCE"}
        control = _control_flow_subgraphs(operators, graphs)
        inits: dict[int, tuple[VariableInit, ...]] = {}
        bodies: dict[int, Graph] = {}
        for index, sub in graphs.items():
            if index in control:
                bodies[index] = sub
                continue
            assignments = (_constant_assignments(sub.operators, sub.tensors)
                           if index in called_once else None)
            if assignments is None:
                raise self.fail(
                    f"subgraph {index} ({sub.name!r}) is neither the branch or loop body of an "
                    "IF / WHILE nor a CALL_ONCE init subgraph that assigns constants; the "
                    "compiler cannot run it")
            inits[index] = assignments
        return inits, bodies

    def _subgraph(self, model: Any, index: int, opcodes: list[str], versions: list[int],
                  buffers: list[Any]) -> Graph:
        sub = model.Subgraphs(index)
        tensors = [self._tensor(sub.Tensors(i), i, buffers) for i in range(sub.TensorsLength())]
        ops = [self._operator(sub.Operators(i), i, opcodes, versions, len(tensors))
               for i in range(sub.OperatorsLength())]
        what = f"subgraph {index}"
        return Graph(self._string(sub.Name(), f"the name of {what}") or what, tensors, ops,
                     self._indices(sub.InputsAsNumpy(), len(tensors), f"{what} input"),
                     self._indices(sub.OutputsAsNumpy(), len(tensors), f"{what} output"))

    def _opcode(self, code: Any, index: int) -> str:
        from tflite.utils import BUILTIN_OPCODE2NAME

        builtin = max(int(code.BuiltinCode()), int(code.DeprecatedBuiltinCode()))
        name = BUILTIN_OPCODE2NAME.get(builtin)
        if name is None:
            raise self.fail(f"operator code {index} has unknown builtin code {builtin}")
        if name == "CUSTOM":
            custom = (code.CustomCode() or b"").decode("utf-8", "replace")
            return f"CUSTOM:{custom}"
        return name

    def _indices(self, values: Any, n_tensors: int, what: str) -> list[int]:
        result = [int(v) for v in values] if isinstance(values, np.ndarray) else []
        for v in result:
            if not 0 <= v < n_tensors:
                raise self.fail(f"{what} refers to tensor {v}, but the model has {n_tensors}")
        return result

    def _string(self, raw: bytes | None, what: str) -> str:
        if raw is not None and len(raw) > MAX_NAME_BYTES:
            raise self.fail(f"{what} is {len(raw):,} bytes long (the limit is {MAX_NAME_BYTES}); "
                            "the file is corrupt or the name must be shortened")
        return (raw or b"").decode("utf-8", "replace")

    def _tensor(self, t: Any, index: int, buffers: list[Any]) -> Tensor:
        name = self._string(t.Name(), f"the name of tensor {index}") or f"tensor_{index}"
        where = f"tensor {index} ({_short(name)!r})"
        ttype = int(t.Type())
        if ttype not in _TENSOR_TYPES:
            raise UnsupportedOpError(
                f"{self.label}: {where} has type {_TYPE_NAMES.get(ttype, ttype)}, which the "
                "compiler does not support; convert the model with int8/float32 tensors"
            )
        dtype = _TENSOR_TYPES[ttype]
        shape_np = t.ShapeAsNumpy()
        shape = tuple(int(d) for d in shape_np) if isinstance(shape_np, np.ndarray) else ()
        if len(shape) > MAX_RANK:
            raise self.fail(f"{where} has {len(shape)} dimensions; the limit is {MAX_RANK}")
        if any(d < 0 for d in shape):
            raise self.fail(f"{where} has a negative dimension in shape {list(shape)}")
        if any(d > MAX_DIM for d in shape):
            raise self.fail(f"{where} has a dimension above the limit of {MAX_DIM:,} in shape "
                            f"{list(shape)}; the file is corrupt or the model is far too big")
        elements = int(np.prod(shape, dtype=np.float64)) if shape else 1
        if elements > MAX_TENSOR_ELEMENTS:
            raise self.fail(f"{where} has {elements:,} elements ({list(shape)}), more than the "
                            f"limit of {MAX_TENSOR_ELEMENTS:,}; the file is corrupt or the model "
                            "is far too big for a microcontroller")
        quant = self._quant(t.Quantization(), shape, dtype, where)
        if t.Sparsity() is not None:
            raise self.fail(f"{where} is sparse; densify the model before compiling")
        data = self._data(t.Buffer(), buffers, shape, dtype, where)
        is_variable = bool(t.IsVariable())
        if is_variable:
            # TFLM sets a variable tensor to its zero point when the interpreter is reset and
            # never reads an initial value from the buffer; neither does the compiler.
            data = None
        if data is not None and dtype == "float32" and not np.isfinite(data).all():
            bad = int(np.size(data) - np.isfinite(data).sum())
            raise self.fail(f"{where} is a constant with {bad} NaN or infinite values; "
                            "replace them with finite values before converting the model")
        return Tensor(index, name, shape, dtype, quant, data, is_variable)

    def _quant(self, q: Any, shape: tuple[int, ...], dtype: str,
               where: str) -> QuantParams | None:
        if q is None or q.ScaleLength() == 0:
            return None
        scales = tuple(float(s) for s in q.ScaleAsNumpy())
        n_zp = q.ZeroPointLength()
        zps = tuple(int(z) for z in q.ZeroPointAsNumpy()) if n_zp else (0,) * len(scales)
        if len(zps) != len(scales):
            raise self.fail(f"{where} has {len(scales)} quantization scales but {len(zps)} zero points")
        axis = int(q.QuantizedDimension())
        if len(scales) > 1:
            if not 0 <= axis < len(shape) and len(shape) == 1 and shape[0] == len(scales):
                # Older converters wrote a per-channel bias with the filter's quantized
                # dimension (3 for a CONV_2D bias of rank 1). TFLM never reads a bias's axis,
                # and a rank-1 tensor has one dimension its scales can run along: that one.
                axis = 0
            if not 0 <= axis < len(shape):
                raise self.fail(f"{where} is quantized along axis {axis}, beyond its rank "
                                f"{len(shape)}, with {len(scales)} scales that no dimension "
                                "matches; the file is corrupt")
            if shape[axis] != len(scales):
                raise self.fail(f"{where} has {len(scales)} scales but dimension {axis} "
                                f"has {shape[axis]} channels")
        if any(not np.isfinite(s) or s <= 0 for s in scales):
            raise self.fail(f"{where} has a non-positive or non-finite quantization scale")
        lo_scale, hi_scale = SCALE_RANGE
        if any(not lo_scale <= s <= hi_scale for s in scales):
            raise self.fail(f"{where} has a quantization scale outside [{lo_scale:g}, "
                            f"{hi_scale:g}] (min {min(scales):g}, max {max(scales):g}); the "
                            "file is corrupt or the model was not quantized by a converter")
        lo, hi = _ZERO_POINT_RANGE[dtype]
        if any(not lo <= z <= hi for z in zps):
            bad = next(z for z in zps if not lo <= z <= hi)
            raise self.fail(f"{where} has zero point {bad}, outside [{lo}, {hi}] for {dtype}; "
                            "the file is corrupt or was not quantized by a converter")
        return QuantParams(scales, zps, axis)

    def _data(self, buffer_index: int, buffers: list[Any], shape: tuple[int, ...], dtype: str,
              where: str) -> np.ndarray | None:
        if not 0 <= buffer_index < len(buffers):
            raise self.fail(f"{where} refers to buffer {buffer_index}, but the model has "
                            f"{len(buffers)}")
        buf = buffers[buffer_index]
        offset, size = int(buf.Offset()), int(buf.Size())
        if offset > 1:  # large-model layout: data stored after the flatbuffer
            if offset + size > len(self.data):
                raise self.fail(f"{where}: buffer {buffer_index} (offset {offset}, {size} bytes) "
                                f"runs past the end of the file ({len(self.data)} bytes)")
            raw = self.data[offset:offset + size]
        else:
            if buf.DataLength() == 0:
                return None
            raw = buf.DataAsNumpy().tobytes()
        if not raw:
            return None
        np_dtype = np.dtype(DTYPE_NUMPY[dtype])
        expected = int(np.prod(shape, dtype=np.int64)) * np_dtype.itemsize if shape else np_dtype.itemsize
        if len(raw) != expected:
            raise self.fail(f"{where}: buffer {buffer_index} holds {len(raw)} bytes, but shape "
                            f"{list(shape)} of {dtype} needs {expected}")
        return np.frombuffer(raw, dtype=np_dtype.newbyteorder("<")).astype(np_dtype).reshape(shape)

    def _operator(self, op: Any, index: int, opcodes: list[str], versions: list[int],
                  n_tensors: int) -> Operator:
        code = int(op.OpcodeIndex())
        if not 0 <= code < len(opcodes):
            raise self.fail(f"operator {index} uses operator code {code}, but the model has "
                            f"{len(opcodes)}")
        op_type = opcodes[code]
        where = f"operator {index} ({op_type})"
        if op.InputsLength() > MAX_OP_TENSORS or op.OutputsLength() > MAX_OP_TENSORS:
            raise self.fail(f"{where} lists {op.InputsLength()} inputs and {op.OutputsLength()} "
                            f"outputs; the limit is {MAX_OP_TENSORS}")
        inputs = tuple(int(v) for v in op.InputsAsNumpy()) if op.InputsLength() else ()
        outputs = tuple(int(v) for v in op.OutputsAsNumpy()) if op.OutputsLength() else ()
        for v in inputs:
            if v != NO_TENSOR and not 0 <= v < n_tensors:
                raise self.fail(f"{where} input refers to tensor {v}, but the model has {n_tensors}")
        for v in outputs:
            if not 0 <= v < n_tensors:
                raise self.fail(f"{where} output refers to tensor {v}, but the model has {n_tensors}")
        try:
            options = read_custom_options(op) if op_type.startswith("CUSTOM:") else read_options(op)
        except ValueError as exc:
            raise self.fail(f"{where}: {exc}") from exc
        # the version is recorded, not checked: TFLM's kernels read the options and tensor
        # types, never the version, and so do the op modules
        return Operator(index, op_type, inputs, outputs, options, version=versions[code])


def _control_flow_subgraphs(operators: list[Operator], graphs: dict[int, Graph]) -> set[int]:
    """The subgraphs that IF / WHILE operators of the main graph call, directly or through
    other such subgraphs."""
    found: set[int] = set()
    pending = list(operators)
    while pending:
        op = pending.pop()
        for index in subgraph_indices(op):
            if index not in found and index in graphs:
                found.add(index)
                pending.extend(graphs[index].operators)
    return found


def _constant_assignments(ops: list[Operator],
                          tensors: list[Tensor]) -> tuple[VariableInit, ...] | None:
    """The (variable, constant) pairs of an init subgraph made of VAR_HANDLE and
    ASSIGN_VARIABLE of constants only; None for any other subgraph."""
    handles: dict[int, str] = {}
    inits = []
    for op in ops:
        if op.op_type == "VAR_HANDLE" and len(op.outputs) == 1:
            handles[op.outputs[0]] = variable_key(op.options)
        elif op.op_type == "ASSIGN_VARIABLE" and len(op.inputs) == 2:
            handle, value = op.inputs
            if handle not in handles or value == NO_TENSOR or tensors[value].data is None:
                return None
            inits.append(VariableInit(handles[handle], tensors[value].dtype,
                                      tensors[value].data))
        else:
            return None
    return tuple(inits)


def _short(name: str, limit: int = 64) -> str:
    """A name as error messages show it: at most `limit` characters."""
    return name if len(name) <= limit else name[:limit - 3] + "..."
