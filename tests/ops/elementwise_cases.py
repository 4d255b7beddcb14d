"""Single-op test models for the elementwise ops: one TFLite conversion, many parameter sets.

The converter picks quantization parameters from the representative data; the variants here
overwrite them (log-uniform scales over several decades, any zero point) so one converted model
covers extreme scales and zero points. TFLM then runs every variant as the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from tests.ops.kernel_harness import random_quantization, set_quantization
from tests.ops.tflite_build import build_tflite


def op_tensors(model: bytes) -> tuple[list[int], list[int]]:
    """(input tensor indices, output tensor indices) of the model's only operator."""
    from microforge.ir.tflite_reader import read_tflite

    graph = read_tflite(model)
    assert len(graph.operators) == 1, [o.op_type for o in graph.operators]
    op = graph.operators[0]
    return list(op.inputs), list(op.outputs)


def int8_variants(fn: Callable, shapes: Sequence[Sequence[int]], n: int, seed: int, *,
                  randomize: str = "all", input_range: tuple[float, float] = (-1.0, 1.0),
                  log10_scale: tuple[float, float] = (-4.0, 1.0)) -> list[bytes]:
    """The converted model plus n-1 variants with random quantization.

    randomize: "all" (inputs and output), "inputs" (output as converted, e.g. LOGISTIC's
    fixed 1/256), or "tied" (the input random, the output given the same parameters).
    """
    base = build_tflite(fn, shapes, "int8", seed=seed, input_range=input_range)
    inputs, outputs = op_tensors(base)
    rng = np.random.default_rng(seed)
    chosen = inputs + outputs if randomize == "all" else inputs
    models = [base]
    for _ in range(n - 1):
        model = random_quantization(base, rng, chosen, log10_scale)
        if randomize == "tied":
            import tflite

            q = tflite.Model.GetRootAsModel(model, 0).Subgraphs(0).Tensors(inputs[0])
            scale = float(q.Quantization().ScaleAsNumpy()[0])
            zero_point = int(q.Quantization().ZeroPointAsNumpy()[0])
            edited = bytearray(model)
            set_quantization(edited, outputs[0], scale, zero_point)
            model = bytes(edited)
        models.append(model)
    return models


def int16_variants(fn: Callable, shapes: Sequence[Sequence[int]], n: int, seed: int, *,
                   randomize: str = "all", input_range: tuple[float, float] = (-1.0, 1.0),
                   log10_scale: tuple[float, float] = (-5.0, -1.0)) -> list[bytes]:
    """The 16x8-converted model (int16 activations and I/O) plus n-1 variants with random
    int16 scales (zero point 0, as TFLite's 16x8 scheme) on the inputs ("inputs") or on the
    inputs and outputs ("all")."""
    base = build_tflite(fn, shapes, "16x8", seed=seed, input_range=input_range)
    inputs, outputs = op_tensors(base)
    rng = np.random.default_rng(seed)
    chosen = inputs + outputs if randomize == "all" else inputs
    models = [base]
    for _ in range(n - 1):
        edited = bytearray(base)
        for t in chosen:
            set_quantization(edited, t, 10.0 ** rng.uniform(*log10_scale), 0)
        models.append(bytes(edited))
    return models


def float_model(fn: Callable, shapes: Sequence[Sequence[int]]) -> bytes:
    return build_tflite(fn, shapes, "float")


def compare_compiled_with_tflm(models: Sequence[bytes], out_dir, rng: np.random.Generator,
                               n_samples: int = 3, rtol: float = 1e-5, **compile_options) -> int:
    """End to end: microforge.compile each model, run it on the host and compare with TFLM
    (int8 identical, float32 within rtol). Returns the number of output values compared."""
    import microforge
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.tflm import run_tflm
    from tests.ops.kernel_harness import sample_inputs

    compared = 0
    for k, model in enumerate(models):
        compiled = microforge.compile(model, out_dir / f"model{k}", **compile_options)
        for sample in sample_inputs(read_tflite(model), rng, n_samples):
            expected = run_tflm(model, sample)
            got = compiled.run(sample)
            for g, e in zip(got, expected, strict=True):
                if e.dtype == np.float32:
                    np.testing.assert_allclose(g, e, rtol=rtol, atol=0)
                else:
                    np.testing.assert_array_equal(g, e)
                compared += e.size
    return compared
