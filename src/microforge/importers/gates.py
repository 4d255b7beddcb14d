"""The gates a converted model passes before any C is written: fully int8 where int8 was asked,
every operator implemented by the compiler, and agreement with the float ONNX model
(onnxruntime) on the calibration samples: top-1 agreement and SQNR per output."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.codegen.compiler import unknown_ops, unsupported_ops
from microforge.errors import ModelError, UnsupportedOpError
from microforge.importers.convert import Layout, layout_of
from microforge.importers.deps import require
from microforge.importers.onnx_model import OnnxModel
from microforge.ir.graph import Graph
from microforge.ir.verifier import verify_graph

# integer tensors an int8 model may carry besides int8: biases, shapes, indices
INTEGER = ("int8", "int16", "int32", "int64", "bool")
MIN_TOP1 = 0.99  # int8 top-1 agreement with the float ONNX model (classifier outputs)
MIN_SQNR_DB = 20.0  # int8 output SQNR against the float ONNX model (about 3.3 bits)
FLOAT_RTOL = 1e-3  # float model: max |error| / max |reference| per output
AGREEMENT_SAMPLES = 500  # at most this many samples are run through both models


def float_tensors(graph: Graph) -> list[str]:
    """One line per operator that reads or writes a float32 tensor (an int8 model has none)."""
    found = []
    for op in graph.operators:
        for t in (*op.inputs, *op.outputs):
            if t >= 0 and graph.tensors[t].dtype not in INTEGER:
                tensor = graph.tensors[t]
                found.append(f"{op.op_type} (operator {op.index}) tensor {tensor.name!r} is "
                             f"{tensor.dtype}")
                break
    return found


def check_int8(graph: Graph, model: OnnxModel) -> None:
    left = float_tensors(graph)
    if left:
        raise ModelError(f"{model.path}: the int8 model keeps float operators: "
                         f"{'; '.join(left[:5])}; --float (quantize='float') compiles it in float")


def check_ops(graph: Graph, model: OnnxModel) -> None:
    problems = unknown_ops(graph)
    if not problems:
        verify_graph(graph)
        problems = unsupported_ops(graph)
    if problems:
        raise UnsupportedOpError(f"{model.path}: the converted model uses operators the "
                                 f"compiler does not implement: {'; '.join(problems)} "
                                 f"(ONNX ops: {', '.join(model.ops)}; `microforge ops --missing`)")


@dataclass(frozen=True)
class OutputAgreement:
    name: str
    top1: float | None  # fraction of samples with the same argmax (outputs of > 1 value)
    sqnr_db: float  # 10 log10(signal / quantization noise)
    max_abs_error: float
    max_abs_reference: float


@dataclass(frozen=True)
class Agreement:
    samples: int
    outputs: tuple[OutputAgreement, ...]

    def lines(self) -> list[str]:
        return [f"output {o.name!r}: " + (f"top-1 agreement {o.top1:.1%}, " if o.top1 is not None
                                          else "") +
                f"SQNR {o.sqnr_db:.1f} dB, max |error| {o.max_abs_error:.3g} "
                f"(max |reference| {o.max_abs_reference:.3g}) on {self.samples} samples"
                for o in self.outputs]


def onnx_outputs(model: OnnxModel, x: np.ndarray) -> list[np.ndarray]:
    """The ONNX model (a QDQ one as given) on a batch (ONNX layout), one example at a time:
    per output (N, ...)."""
    ort = require("onnxruntime")
    reference = model.reference if model.reference is not None else model.proto
    session = ort.InferenceSession(reference.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    name = model.input_names[0]
    runs = [session.run(None, {name: sample[None]}) for sample in x]
    return [np.concatenate([r[i] for r in runs]) for i in range(len(model.output_names))]


def tflite_outputs(tflite_model: bytes, graph: Graph, layout: Layout,
                   x: np.ndarray) -> list[np.ndarray]:
    """The converted model in TFLM on a batch in ONNX layout: float outputs (N, ...)."""
    from microforge.runners.tflm import run_tflm_batch

    inp = graph.tensors[graph.inputs[0]]
    data = layout.to_tflite(x)
    if inp.dtype == "int8":
        assert inp.quant is not None
        scale, zero = inp.quant.scale[0], inp.quant.zero_point[0]
        data = np.clip(np.round(data / scale) + zero, -128, 127).astype(np.int8)
    runs = run_tflm_batch(tflite_model, [[sample[None]] for sample in data])
    outputs = []
    for i, t in enumerate(graph.outputs):
        out = np.concatenate([r[i] for r in runs]).astype(np.float32)
        q = graph.tensors[t].quant
        if graph.tensors[t].dtype == "int8" and q is not None:
            out = (out - q.zero_point[0]) * q.scale[0]
        outputs.append(out)
    return outputs


def agreement(model: OnnxModel, tflite_model: bytes, graph: Graph, layout: Layout,
              x: np.ndarray) -> Agreement:
    x = x[:AGREEMENT_SAMPLES]
    refs = onnx_outputs(model, x)
    gots = tflite_outputs(tflite_model, graph, layout, x)
    if len(refs) != len(gots):
        raise ModelError(f"{model.path}: {len(refs)} ONNX outputs but {len(gots)} converted")
    results = []
    for name, ref, got in zip(model.output_names, refs, gots, strict=True):
        out_layout = layout_of(tuple(ref.shape), tuple(got.shape))
        ref = out_layout.to_tflite(ref).astype(np.float64)
        got = got.astype(np.float64)
        noise = float(np.sum((ref - got) ** 2))
        signal = float(np.sum(ref ** 2))
        sqnr = float("inf") if noise == 0 else 10 * np.log10(max(signal, 1e-30) / noise)
        flat_ref, flat_got = ref.reshape(len(ref), -1), got.reshape(len(got), -1)
        top1 = (float(np.mean(flat_ref.argmax(1) == flat_got.argmax(1)))
                if flat_ref.shape[1] > 1 else None)
        results.append(OutputAgreement(name, top1, sqnr, float(np.max(np.abs(ref - got))),
                                       float(np.max(np.abs(ref)))))
    return Agreement(len(x), tuple(results))


def check_agreement(model: OnnxModel, result: Agreement, quantize: str,
                    min_top1: float = MIN_TOP1, min_sqnr_db: float = MIN_SQNR_DB) -> None:
    for o in result.outputs:
        if quantize == "float":
            if o.max_abs_error > FLOAT_RTOL * max(o.max_abs_reference, 1e-6):
                raise ModelError(f"{model.path}: the converted float model disagrees with "
                                 f"onnxruntime on output {o.name!r} (max |error| "
                                 f"{o.max_abs_error:.3g} of {o.max_abs_reference:.3g}); the "
                                 f"conversion is wrong: please report the model")
            continue
        if o.top1 is not None and o.top1 < min_top1:
            raise ModelError(f"{model.path}: int8 output {o.name!r} agrees with the float ONNX "
                             f"model on {o.top1:.1%} of {result.samples} samples (< "
                             f"{min_top1:.0%}); give more representative calibration samples "
                             f"or compile in float (--float, quantize='float')")
        if o.sqnr_db < min_sqnr_db:
            raise ModelError(f"{model.path}: int8 output {o.name!r} has an SQNR of "
                             f"{o.sqnr_db:.1f} dB against the float ONNX model (< "
                             f"{min_sqnr_db:g} dB); give more representative calibration "
                             f"samples or compile in float (--float, quantize='float')")
