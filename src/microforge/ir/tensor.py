"""Tensors of the IR: shape, dtype, quantization, and the constant data when there is any."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# dtype names follow numpy (and the C type is derived from them in codegen).
DTYPE_NUMPY: dict[str, type[np.generic]] = {
    "float32": np.float32,
    "int8": np.int8,
    "uint8": np.uint8,
    "int16": np.int16,
    "int32": np.int32,
    "int64": np.int64,
    "uint32": np.uint32,
    "uint64": np.uint64,
    "bool": np.bool_,
    # a resource variable's handle (VAR_HANDLE's output): no data of its own in microforge;
    # it names the variable, which lives in the state area (codegen/state.py)
    "resource": np.int32,
}
DTYPE_C: dict[str, str] = {
    "float32": "float",
    "int8": "int8_t",
    "uint8": "uint8_t",
    "int16": "int16_t",
    "int32": "int32_t",
    "int64": "int64_t",
    "uint32": "uint32_t",
    "uint64": "uint64_t",
    "bool": "uint8_t",
    "resource": "uint8_t",
}


@dataclass(frozen=True)
class QuantParams:
    """Affine quantization: real = scale * (q - zero_point), per tensor or per channel (`axis`)."""

    scale: tuple[float, ...]
    zero_point: tuple[int, ...]
    axis: int = 0

    @property
    def per_channel(self) -> bool:
        return len(self.scale) > 1

    def scale_array(self) -> np.ndarray:
        return np.asarray(self.scale, dtype=np.float32)

    def zero_point_array(self) -> np.ndarray:
        return np.asarray(self.zero_point, dtype=np.int64)


@dataclass
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str
    quant: QuantParams | None = None
    data: np.ndarray | None = field(default=None, repr=False)  # constant tensors only
    # state kept from one invoke to the next (an LSTM's cell, a streaming model's buffer):
    # placed outside the reused arena, cleared (to its zero point) by mf_<name>_reset()
    is_variable: bool = False

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def num_elements(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1

    @property
    def itemsize(self) -> int:
        return int(np.dtype(DTYPE_NUMPY[self.dtype]).itemsize)

    @property
    def nbytes(self) -> int:
        return self.num_elements * self.itemsize

    @property
    def c_type(self) -> str:
        return DTYPE_C[self.dtype]

    @property
    def scale(self) -> float:
        """Per-tensor scale (raises on unquantized tensors)."""
        assert self.quant is not None, f"tensor {self.name!r} is not quantized"
        return float(self.quant.scale[0])

    @property
    def zero_point(self) -> int:
        assert self.quant is not None, f"tensor {self.name!r} is not quantized"
        return int(self.quant.zero_point[0])
