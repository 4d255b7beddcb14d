"""What the Python pipeline needs of its quantized model (the runners live in
microforge.runners)."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from microforge.postprocess.params import ScoreQuant


class Int8Runner(Protocol):
    """A model with one int8 input and one int8 output, or int16 ones (a 16x8 network:
    `input_quant.bits` / `output_quant.bits` say which; a runner with `float_input = True`
    takes the float32 features as they are: a classical model, classical.trained)."""

    input_quant: ScoreQuant
    output_quant: ScoreQuant
    input_size: int
    output_size: int

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Integer input (input_size values) -> integer output (output_size values), flat."""
