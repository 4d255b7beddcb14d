"""Perturbed copies of a graph: the same architecture, other trained values.

The blob compiler mode (`codegen/blob.py`) emits the model once as it is and a few times
perturbed; what changes between them (constant arrays, scalar kernel parameters) is what a
retraining can change and goes into the model blob, the rest stays in the code.

A perturbation keeps every shape, dtype, option and every constant that is not a trained
value (unquantized integer tensors: shapes, permutations, indices, paddings), and changes:
- the scale of each group of tensors that share their quantization (so equal scales the
  converter produced, e.g. MAX_POOL_2D in and out, stay equal) by a random factor in
  [2^-2, 2^2] (per channel for per-channel tensors), and the zero point of int8 tensors that
  are not constants;
- the values of trained constants (floats, and quantized integers) by random sign flips, which
  keep every |value| (so no int32 accumulator bound is crossed) and -128 -> 127.
TFLite's fixed output quantizations (softmax / logistic: 1/256, -128; tanh: 1/128, 0; int16:
zero point 0) are kept.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np

from microforge.ir.graph import Graph
from microforge.ir.tensor import QuantParams, Tensor

_FIXED = {((1 / 256,), (-128,)), ((1 / 128,), (0,)), ((1 / 256,), (0,)),
          ((1 / 32768,), (0,))}


def _is_fixed(quant: QuantParams) -> bool:
    scale = tuple(float(np.float32(s)) for s in quant.scale)
    return any(scale == tuple(float(np.float32(s)) for s in fs) and quant.zero_point == zp
               for fs, zp in _FIXED)


def _flip(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    signs = rng.random(values.shape) < 0.5
    if values.dtype == np.bool_:
        return values
    if values.dtype.kind == "f":
        return np.where(signs, -values, values).astype(values.dtype)
    info = np.iinfo(values.dtype)
    wide = values.astype(np.int64)
    flipped = np.clip(-wide, -info.max, info.max)
    return np.where(signs, flipped, wide).astype(values.dtype)


def _trained_constant(t: Tensor) -> bool:
    assert t.data is not None
    return t.data.dtype.kind == "f" or (t.quant is not None and t.data.dtype.kind in "iu")


def perturbed_graph(graph: Graph, seed: int) -> Graph:
    """A copy of `graph` with other quantization parameters and trained constant values."""
    rng = np.random.default_rng(seed)
    group_quant: dict[tuple, QuantParams] = {}
    tensors = []
    for t in graph.tensors:
        quant = t.quant
        if quant is not None and not _is_fixed(quant):
            key = (t.dtype, t.is_constant, quant.scale, quant.zero_point, quant.axis)
            if key not in group_quant:
                group_quant[key] = _perturbed_quant(t, quant, rng)
            quant = group_quant[key]
        data = t.data
        if data is not None and _trained_constant(t):
            data = _flip(data, rng)
        tensors.append(replace(t, quant=quant, data=data))
    return Graph(graph.name, tensors, copy.deepcopy(graph.operators), list(graph.inputs),
                 list(graph.outputs), graph.description)


def _perturbed_quant(t: Tensor, quant: QuantParams, rng: np.random.Generator) -> QuantParams:
    factors = 2.0 ** rng.uniform(-2.0, 2.0, size=len(quant.scale))
    scale = tuple(float(np.float32(s * f)) if s > 0 else float(s)
                  for s, f in zip(quant.scale, factors, strict=True))
    zero_point = quant.zero_point
    if t.dtype in ("int8", "uint8") and not t.is_constant:
        lo, hi = (-128, 127) if t.dtype == "int8" else (0, 255)
        moved = []
        for zp in zero_point:
            step = int(rng.integers(5, 40)) * (1 if rng.random() < 0.5 else -1)
            value = zp + step if lo <= zp + step <= hi else zp - step
            moved.append(int(np.clip(value, lo, hi)))
        zero_point = tuple(moved)
    return QuantParams(scale, zero_point, quant.axis)
