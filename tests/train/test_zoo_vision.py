"""The vision models of the zoo: shapes, width multiplier, int8 with TFLM's ops only, and the
compiled C bit-exact with TFLM."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.train.zoo import build_model
from tests.train.test_zoo import ALLOWED_OPS, _op_names


def test_mobilenet_shapes_and_width(tf):
    small = build_model("mobilenet", (32, 32, 1), 4, width=0.25)
    big = build_model("mobilenet", (32, 32, 1), 4, width=0.5)
    assert small.output_shape == (None, 4)
    assert big.count_params() > 2.5 * small.count_params()
    assert any(layer.__class__.__name__ == "DepthwiseConv2D" for layer in small.layers)
    assert build_model("mobilenet", (96, 96, 3), 2, width=0.25).output_shape == (None, 2)


def test_fomo_grid_is_an_eighth(tf):
    model = build_model("fomo", (96, 96, 1), 3, width=0.5)
    assert model.output_shape == (None, 12, 12, 3)
    with pytest.raises(ConfigError, match="multiples of 8"):
        build_model("fomo", (30, 32, 1), 2)
    with pytest.raises(ConfigError, match=r'use \[dsp\] block = "image"'):
        build_model("mobilenet", (49, 10), 2)


@pytest.mark.parametrize(("arch", "shape", "n"), [("mobilenet", (32, 32, 1), 4),
                                                  ("fomo", (48, 48, 3), 3)])
def test_int8_compiled_bit_exact_with_tflm(tf, tflm, tmp_path, arch, shape, n):
    from microforge.runners.host import compile_and_load
    from microforge.runners.model_runners import CompiledRunner, TflmRunner
    from microforge.train.quantize import quantize_int8

    model = build_model(arch, shape, n, width=0.25)
    x = np.random.default_rng(0).uniform(0, 1, (24, *shape)).astype(np.float32)
    # one epoch sets the BatchNorm statistics: an untrained deep ReLU stack has activation
    # scales near 1e-8, whose multipliers TFLM refuses (it aborts the process)
    y = np.random.default_rng(2).integers(0, n, (24, *model.output_shape[1:-1]))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    int8 = quantize_int8(model, x, n_samples=24)
    assert _op_names(int8) <= ALLOWED_OPS
    reference = TflmRunner(int8)
    compiled = CompiledRunner(compile_and_load(int8, tmp_path / "c"))
    rng = np.random.default_rng(1)
    for _ in range(4):
        q = rng.integers(-128, 128, reference.input_size).astype(np.int8)
        np.testing.assert_array_equal(compiled(q), reference(q))
