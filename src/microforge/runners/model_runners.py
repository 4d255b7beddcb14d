"""The quantized model inside a pipeline (a `microforge.postprocess.Int8Runner`): TFLM (the
reference) or the compiled C model on the host. int8 I/O, or int16 I/O for a 16x8 network
(int16 activations, int8 weights): the input and output quantization say which."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microforge.errors import ModelError
from microforge.postprocess.params import ScoreQuant

if TYPE_CHECKING:
    from microforge.codegen.render import IODetail
    from microforge.runners.host import CompiledModel


BITS = {"int8": 8, "int16": 16}  # the integer I/O types the pipeline takes


def _quant(details: dict, what: str) -> ScoreQuant:
    q = details.get("quantization_parameters") or {}
    scales = np.asarray(q.get("scales", []), dtype=np.float64).reshape(-1)
    zeros = np.asarray(q.get("zero_points", []), dtype=np.int64).reshape(-1)
    dtype = np.dtype(details["dtype"]).name
    if dtype not in BITS or scales.size != 1:
        raise ModelError(f"the pipeline needs a model with a per-tensor int8 or int16 {what}, "
                         f"not {dtype}; quantize it to int8 (or 16x8)")
    return _checked(ScoreQuant(float(scales[0]), int(zeros[0]) if zeros.size else 0,
                               BITS[dtype]), what)


def _checked(quant: ScoreQuant, what: str) -> ScoreQuant:
    """int16 I/O has zero point 0 (TFLite's 16x8 scheme), which the C post-processing's int16
    history relies on."""
    if quant.bits == 16 and quant.zero_point != 0:
        raise ModelError(f"the model's int16 {what} has zero point {quant.zero_point}; the "
                         "pipeline takes TFLite's 16x8 scheme (zero point 0)")
    return quant


class TflmRunner:
    """The model run by the TFLM interpreter (the `tflite-micro` package)."""

    def __init__(self, model: bytes) -> None:
        from microforge.runners.tflm import io_counts, tflm_interpreter

        self.model = bytes(model)
        if io_counts(self.model) != (1, 1):
            raise ModelError("the pipeline needs a model with one input and one output")
        self._interp = tflm_interpreter(self.model)
        inp, out = self._interp.get_input_details(0), self._interp.get_output_details(0)
        self.input_quant, self.output_quant = _quant(inp, "input"), _quant(out, "output")
        self._shape = tuple(int(d) for d in inp["shape"])
        self.input_size = int(np.prod(self._shape))
        self.output_size = int(np.prod(out["shape"]))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=self.input_quant.dtype).reshape(self._shape)
        self._interp.set_input(x, 0)
        self._interp.invoke()
        return np.array(self._interp.get_output(0), dtype=self.output_quant.dtype).reshape(-1)


class CompiledRunner:
    """The compiled C model (`microforge.compile(...)` -> CompiledModel) on the host."""

    def __init__(self, compiled: CompiledModel) -> None:
        info = compiled.info
        if len(info.inputs) != 1 or len(info.outputs) != 1:
            raise ModelError("the pipeline needs a model with one input and one output")
        (inp,), (out,) = info.inputs, info.outputs
        self.input_quant, self.output_quant = io_quant(inp, "input"), io_quant(out, "output")
        self.compiled = compiled
        self.input_size, self.output_size = inp.size, out.size

    def __call__(self, x: np.ndarray) -> np.ndarray:
        (y,) = self.compiled.run([np.asarray(x, dtype=self.input_quant.dtype)])
        return np.asarray(y, dtype=self.output_quant.dtype).reshape(-1)


def int8_quant(detail: IODetail, what: str, hint: str = "quantize it to int8") -> ScoreQuant:
    """The per-tensor int8 quantization of a compiled model's input or output, else
    ModelError ending with `hint`."""
    if detail.dtype != "int8" or detail.scale is None or detail.zero_point is None:
        raise ModelError(f"the pipeline needs a model with a per-tensor int8 {what}, not"
                         f" {detail.dtype}; {hint}")
    return ScoreQuant(float(detail.scale), int(detail.zero_point))


def io_quant(detail: IODetail, what: str,
             hint: str = "quantize it to int8 (or 16x8)") -> ScoreQuant:
    """The per-tensor int8 or int16 quantization of a compiled model's input or output (the
    streaming pipeline takes both), else ModelError ending with `hint`."""
    if detail.dtype not in BITS or detail.scale is None or detail.zero_point is None:
        raise ModelError(f"the pipeline needs a model with a per-tensor int8 or int16 {what}, "
                         f"not {detail.dtype}; {hint}")
    return _checked(ScoreQuant(float(detail.scale), int(detail.zero_point), BITS[detail.dtype]),
                    what)
