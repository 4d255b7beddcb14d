from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.optimize.prune_magnitude import (
    MagnitudePruneParams,
    magnitude_mask,
    magnitude_prune,
    polynomial_sparsity,
    prunable_kernels,
    weight_sparsity,
)
from tests.train.test_fit import separable_windows


def test_polynomial_schedule_rises_from_zero_to_the_target_then_stays():
    values = [polynomial_sparsity(step, 100, 0.8) for step in range(0, 131, 10)]
    assert values[0] == 0.0
    assert all(b >= a for a, b in zip(values, values[1:], strict=False))
    assert values[10] == pytest.approx(0.8) and values[-1] == pytest.approx(0.8)
    assert polynomial_sparsity(50, 100, 0.8) == pytest.approx(0.8 * (1 - 0.5**3))


def test_magnitude_mask_zeros_exactly_the_smallest_weights():
    weights = np.array([[0.3, -0.1], [2.0, -0.05], [0.0, 1.0]], np.float32)
    mask = magnitude_mask(weights, 0.5)
    assert mask.shape == weights.shape
    assert mask.sum() == 3
    np.testing.assert_array_equal(mask, [[1, 0], [1, 0], [0, 1]])
    assert magnitude_mask(weights, 0.0).all()


@pytest.mark.parametrize("field, value", [("sparsity", 0.0), ("sparsity", 1.0),
                                          ("epochs", -1), ("learning_rate", 0.0),
                                          ("ramp_fraction", 0.0)])
def test_bad_parameters_are_config_errors(field, value):
    with pytest.raises(ConfigError, match=field.split("_")[0]):
        MagnitudePruneParams(**{field: value})


@pytest.mark.slow
def test_pruned_kernels_reach_the_sparsity_with_their_shapes(tf):
    from microforge.train.zoo import build_model

    x, y = separable_windows(n=96, seed=3)
    model = build_model("cnn1d", x.shape[1:], 3, width=0.5, seed=3)
    shapes = [tuple(k.shape) for k in prunable_kernels(model)]
    original = [w.copy() for w in model.get_weights()]
    params = MagnitudePruneParams(sparsity=0.6, epochs=2, learning_rate=1e-3, batch_size=16)
    pruned = magnitude_prune(model, x, y, x[:30], y[:30], params)
    kernels = [k.numpy() for k in prunable_kernels(pruned)]
    assert [k.shape for k in kernels] == shapes
    for kernel in kernels:
        assert abs((kernel == 0).mean() - 0.6) <= 1.0 / kernel.size + 1e-9
    assert weight_sparsity(pruned) == pytest.approx(0.6, abs=0.01)
    assert pruned.predict(x[:4], verbose=0).shape == (4, 3)
    for before, after in zip(original, model.get_weights(), strict=True):  # input untouched
        np.testing.assert_array_equal(before, after)


@pytest.mark.slow
def test_zeros_save_no_flash_on_dense_kernels(tf):
    """The documented claim, measured: same weight bytes, same flash after pruning."""
    import microforge
    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    x, y = separable_windows(n=96, seed=4)
    model = build_model("cnn1d", x.shape[1:], 3, width=0.5, seed=4)
    before = microforge.compile(quantize_int8(model, x, n_samples=50))
    params = MagnitudePruneParams(sparsity=0.75, epochs=1, batch_size=32)
    pruned = magnitude_prune(model, x, y, None, None, params)
    after = microforge.compile(quantize_int8(pruned, x, n_samples=50))
    assert weight_sparsity(pruned) > 0.7
    assert after.weight_bytes == before.weight_bytes
    assert after.info.macs == before.info.macs
    assert after.flash_estimate() == before.flash_estimate()
