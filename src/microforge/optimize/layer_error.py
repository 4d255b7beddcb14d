"""Per-layer quantization error: SQNR of every quantized op's output against the float model.

Both .tflite models run in LiteRT (reference kernels) with every intermediate tensor kept, on
the same float inputs (quantized for the integer model with its input scale/zero point).

Matching rule: each operator of the quantized model (QUANTIZE and DEQUANTIZE excepted) is
paired with the float operator whose output tensor has the same name; the converter names an
op's output after the Keras layers fused into it, the same way in both conversions of one
Keras model. If no name matches, it is paired with the float operator of the same type at the
same position among the operators of that type (the k-th CONV_2D with the k-th CONV_2D).
Integer outputs are dequantized with their scale and zero point. The SQNR is computed over all
inputs together: 10 log10(sum(float^2) / sum((float - quantized)^2)), +inf when they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import DataError, ModelError
from microforge.optimize.ptq import litert_interpreter
from microforge.train.quantize import _quantizer

SKIPPED_OPS = ("QUANTIZE", "DEQUANTIZE")


@dataclass
class LayerError:
    index: int  # operator index in the quantized model
    op: str  # e.g. "CONV_2D"
    tensor: str  # name of the operator's output tensor
    sqnr_db: float  # +inf when the outputs are identical


def per_layer_sqnr(float_bytes: bytes, quant_bytes: bytes, x: np.ndarray) -> list[LayerError]:
    """One LayerError per operator of the quantized model, in execution order."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or len(x) == 0:
        raise DataError("per-layer error needs a non-empty batch of float inputs")
    ref = litert_interpreter(float_bytes, preserve_all_tensors=True)
    quant = litert_interpreter(quant_bytes, preserve_all_tensors=True)
    pairs = _match_ops(_ops(ref), _ops(quant))
    signal = np.zeros(len(pairs))
    noise = np.zeros(len(pairs))
    for sample in x:
        ref_out = _run(ref, sample)
        quant_out = _run(quant, sample)
        for i, (ref_op, quant_op) in enumerate(pairs):
            expected = ref_out(ref_op["tensor"])
            got = quant_out(quant_op["tensor"])
            if expected.shape != got.shape:
                raise ModelError(
                    f"tensor {quant_op['name']!r}: shape {list(got.shape)} in the quantized "
                    f"model but {list(expected.shape)} in the float model"
                )
            signal[i] += float(np.sum(expected.astype(np.float64) ** 2))
            noise[i] += float(np.sum((expected.astype(np.float64) - got) ** 2))
    return [
        LayerError(op["index"], op["op"], op["name"], _sqnr(signal[i], noise[i]))
        for i, (_, op) in enumerate(pairs)
    ]


def _ops(interp) -> list[dict]:
    """[{index, op, name, tensor}] of every operator and its first output's details, in order."""
    details = {d["index"]: d for d in interp.get_tensor_details()}
    ops = []
    for op in interp._get_ops_details():  # no public accessor in LiteRT
        if op["op_name"] in SKIPPED_OPS or len(op["outputs"]) == 0:
            continue
        tensor = details[int(op["outputs"][0])]
        ops.append(
            {
                "index": int(op["index"]),
                "op": op["op_name"],
                "name": tensor["name"],
                "tensor": tensor,
            }
        )
    return ops


def _match_ops(ref_ops: list[dict], quant_ops: list[dict]) -> list[tuple[dict, dict]]:
    by_name = {op["name"]: op for op in ref_ops}
    pairs = []
    for op in quant_ops:
        match = by_name.get(op["name"])
        if match is None or match["op"] != op["op"]:
            k = sum(1 for other in quant_ops[: quant_ops.index(op)] if other["op"] == op["op"])
            same_type = [r for r in ref_ops if r["op"] == op["op"]]
            if k >= len(same_type):
                raise ModelError(
                    f"the float model has no {op['op']} matching {op['name']!r}; "
                    "compare two conversions of the same Keras model"
                )
            match = same_type[k]
        pairs.append((match, op))
    return pairs


def _run(interp, sample: np.ndarray):
    """Invoke on one float sample; returns tensor details -> float value (dequantized)."""
    inp = interp.get_input_details()[0]
    shape = tuple(int(d) for d in inp["shape"])
    if sample.size != int(np.prod(shape)):
        raise DataError(
            f"inputs of shape {sample.shape} do not match the model input {list(shape)}"
        )
    interp.set_tensor(inp["index"], _quantizer(inp)(sample.reshape(shape)))
    interp.invoke()

    def value(details: dict) -> np.ndarray:
        raw = np.asarray(interp.get_tensor(details["index"]))
        if np.issubdtype(raw.dtype, np.floating):
            return raw.astype(np.float64)
        scale, zero = details["quantization"]
        if scale == 0:
            raise ModelError(f"tensor {details['name']!r} is an integer tensor without a scale")
        return (raw.astype(np.float64) - zero) * scale

    return value


def _sqnr(signal: float, noise: float) -> float:
    if noise == 0:
        return float("inf")
    if signal == 0:
        return float("-inf")
    return float(10 * np.log10(signal / noise))
