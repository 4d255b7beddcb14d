"""The int8 model inside a pipeline (a `microforge.postprocess.Int8Runner`): TFLM (the
reference) or the compiled C model on the host."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microforge.errors import ModelError
from microforge.postprocess.params import ScoreQuant

if TYPE_CHECKING:
    from microforge.codegen.render import IODetail
    from microforge.runners.host import CompiledModel


def _quant(details: dict, what: str) -> ScoreQuant:
    q = details.get("quantization_parameters") or {}
    scales = np.asarray(q.get("scales", []), dtype=np.float64).reshape(-1)
    zeros = np.asarray(q.get("zero_points", []), dtype=np.int64).reshape(-1)
    if np.dtype(details["dtype"]) != np.int8 or scales.size != 1:
        raise ModelError(f"the pipeline needs a model with a per-tensor int8 {what}, not "
                         f"{np.dtype(details['dtype'])}; quantize it to int8")
    return ScoreQuant(float(scales[0]), int(zeros[0]) if zeros.size else 0)


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
        self._interp.set_input(np.ascontiguousarray(x, dtype=np.int8).reshape(self._shape), 0)
        self._interp.invoke()
        return np.array(self._interp.get_output(0), dtype=np.int8).reshape(-1)


class CompiledRunner:
    """The compiled C model (`microforge.compile(...)` -> CompiledModel) on the host."""

    def __init__(self, compiled: CompiledModel) -> None:
        info = compiled.info
        if len(info.inputs) != 1 or len(info.outputs) != 1:
            raise ModelError("the pipeline needs a model with one input and one output")
        (inp,), (out,) = info.inputs, info.outputs
        self.input_quant, self.output_quant = int8_quant(inp, "input"), int8_quant(out, "output")
        self.compiled = compiled
        self.input_size, self.output_size = inp.size, out.size

    def __call__(self, x: np.ndarray) -> np.ndarray:
        (y,) = self.compiled.run([np.asarray(x, dtype=np.int8)])
        return np.asarray(y, dtype=np.int8).reshape(-1)


def int8_quant(detail: IODetail, what: str, hint: str = "quantize it to int8") -> ScoreQuant:
    """The per-tensor int8 quantization of a compiled model's input or output, else
    ModelError ending with `hint`."""
    if detail.dtype != "int8" or detail.scale is None or detail.zero_point is None:
        raise ModelError(f"the pipeline needs a model with a per-tensor int8 {what}, not"
                         f" {detail.dtype}; {hint}")
    return ScoreQuant(float(detail.scale), int(detail.zero_point))
