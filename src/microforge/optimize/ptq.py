"""Post-training quantization variants of one Keras model, and predictions for any of them.

Variants (`mode`): "float32" (no quantization), "ptq_int8" (int8 activations and I/O, per-channel
int8 weights, int32 biases), "ptq_16x8" (int16 activations and I/O, per-channel int8 weights,
int64 biases), "dynamic_range" (int8 weights, float activations; weights are dequantized or
quantized on the fly by the kernel). int8 and 16x8 run in TFLM; float and dynamic-range models
run in LiteRT with the reference kernels (TFLM has no hybrid kernels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ConfigError, DataError, ModelError
from microforge.train.quantize import (
    _convert,
    _converter,
    _dequantizer,
    _quantizer,
    convert_float,
    predict_int8,
    quantize_int8,
)

MODES = ("float32", "ptq_int8", "ptq_16x8", "dynamic_range")
SELECTIONS = ("random", "stratified", "first")


@dataclass
class RepresentativeSpec:
    samples: int = 200
    selection: str = "stratified"  # random | stratified (by class) | first
    seed: int = 0

    def __post_init__(self) -> None:
        if self.selection not in SELECTIONS:
            raise ConfigError(
                f"optimize.representative_selection: unknown {self.selection!r}; "
                f"choose one of {', '.join(SELECTIONS)}"
            )
        if int(self.samples) < 1:
            raise ConfigError(f"optimize.representative_samples must be >= 1, got {self.samples}")


def representative_set(x: np.ndarray, y: np.ndarray | None, spec: RepresentativeSpec) -> np.ndarray:
    """`spec.samples` rows of `x` (all of them if fewer), chosen as `spec.selection` says.

    stratified: each class gets a share proportional to its frequency (at least one sample per
    class while the budget allows), drawn at random within the class with `spec.seed`.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or len(x) == 0:
        raise DataError("the representative set needs a non-empty batch of inputs")
    n = min(int(spec.samples), len(x))
    rng = np.random.default_rng(spec.seed)
    if spec.selection == "first":
        return x[:n]
    if spec.selection == "random":
        return x[np.sort(rng.choice(len(x), size=n, replace=False))]
    if y is None:
        raise DataError("stratified representative selection needs the labels y")
    y = np.asarray(y).reshape(-1)
    if len(y) != len(x):
        raise DataError(f"representative set: {len(x)} inputs but {len(y)} labels")
    return x[np.sort(_stratified_indices(y, n, rng))]


def _stratified_indices(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    classes, counts = np.unique(y, return_counts=True)
    share = counts / counts.sum() * n
    quota = np.floor(share).astype(int)
    if n >= len(classes):
        quota = np.maximum(quota, 1)
    # hand out what rounding left over to the classes with the largest remainders
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    i = 0
    while quota.sum() < n:
        c = order[i % len(order)]
        if quota[c] < counts[c]:
            quota[c] += 1
        i += 1
    while quota.sum() > n:  # more classes than samples: drop the rarest
        quota[np.argmax(np.where(quota > 0, -counts, -np.inf))] -= 1
    quota = np.minimum(quota, counts)
    picked = [
        rng.choice(np.flatnonzero(y == c), size=q, replace=False)
        for c, q in zip(classes, quota, strict=True)
        if q > 0
    ]
    return np.concatenate(picked)


def quantize_variant(model, x_rep: np.ndarray, mode: str) -> bytes:
    """The .tflite bytes of `model` as variant `mode`, calibrated on all of `x_rep`."""
    import tensorflow as tf

    if mode not in MODES:
        raise ConfigError(
            f"optimize.techniques: unknown quantization mode {mode!r}; "
            f"choose one of {', '.join(MODES)}"
        )
    if mode == "float32":
        return convert_float(model)
    converter = _converter(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "dynamic_range":
        return _convert(converter, "dynamic-range")
    x = np.asarray(x_rep, dtype=np.float32)
    if mode == "ptq_int8":
        return quantize_int8(model, x, n_samples=len(x))
    if x.ndim < 2 or len(x) == 0 or not np.all(np.isfinite(x)):
        raise DataError(
            "16x8 quantization needs a non-empty, finite batch of representative inputs"
        )

    def representative():
        for i in range(len(x)):
            yield [x[i : i + 1]]

    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [
        tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8
    ]
    converter.inference_input_type = tf.int16
    converter.inference_output_type = tf.int16
    return _convert(converter, "16x8")


def predict_variant(model_bytes: bytes, x: np.ndarray) -> np.ndarray:
    """Float scores (n, outputs) of any variant for float inputs.

    Models with integer input (int8, 16x8) run in TFLM, the others (float32, dynamic range) in
    LiteRT with the reference kernels. Integer inputs/outputs are (de)quantized here.
    """
    model_bytes = bytes(model_bytes)
    interp = litert_interpreter(model_bytes)
    inp = interp.get_input_details()
    if len(inp) != 1 or len(interp.get_output_details()) != 1:
        raise ModelError("predict needs a model with 1 input and 1 output")
    if np.dtype(inp[0]["dtype"]) in (np.int8, np.int16):
        return predict_int8(model_bytes, x)[0]
    return _predict_litert(interp, x)


def litert_interpreter(model_bytes: bytes, preserve_all_tensors: bool = False):
    """A LiteRT interpreter with the reference kernels, tensors allocated."""
    try:
        from ai_edge_litert.interpreter import Interpreter, OpResolverType
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError("running float/hybrid models needs the 'ai-edge-litert' package") from exc
    try:
        interp = Interpreter(
            model_content=bytes(model_bytes),
            experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
            experimental_preserve_all_tensors=preserve_all_tensors,
        )
        interp.allocate_tensors()
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"LiteRT cannot load the model: {str(exc).splitlines()[0]}") from exc
    return interp


def _predict_litert(interp, x: np.ndarray) -> np.ndarray:
    inp = interp.get_input_details()[0]
    out = interp.get_output_details()[0]
    shape = tuple(int(d) for d in inp["shape"])
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 0 or len(x) == 0 or x[0].size != int(np.prod(shape)):
        raise DataError(f"inputs of shape {x.shape[1:]} do not match the model input {list(shape)}")
    to_model, from_model = _quantizer(inp), _dequantizer(out)
    scores = []
    for sample in x:
        interp.set_tensor(inp["index"], to_model(sample.reshape(shape)))
        interp.invoke()
        scores.append(from_model(interp.get_tensor(out["index"])).reshape(-1))
    return np.stack(scores).astype(np.float32)
