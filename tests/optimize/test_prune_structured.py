from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError, ModelError
from microforge.optimize.prune_structured import (
    PRODUCERS,
    StructuredPruneParams,
    layer_chain,
    prune_channels,
)
from tests.train.test_fit import separable_windows

SHAPES = {"cnn1d": (32, 3), "dscnn": (16, 10), "dense": (20,)}


def _silence_half_the_channels(model, seed: int = 0) -> None:
    """Zero the even filters of every hidden Conv/Dense (and their BN shift and mean), so
    those channels are exactly 0 after BN + ReLU; give the others a non-trivial BN."""
    rng = np.random.default_rng(seed)
    chain = layer_chain(model)
    hidden = [i for i, layer in enumerate(chain) if type(layer).__name__ in PRODUCERS][:-1]
    for i in hidden:
        layer, follower = chain[i], chain[i + 1]
        kernel = layer.kernel.numpy()
        dead = np.arange(0, kernel.shape[-1], 2)
        kernel[..., dead] = 0.0
        layer.kernel.assign(kernel)
        if layer.use_bias:
            bias = rng.normal(size=kernel.shape[-1]).astype(np.float32)
            bias[dead] = 0.0
            layer.bias.assign(bias)
        if type(follower).__name__ == "BatchNormalization":
            n = kernel.shape[-1]
            beta, mean = rng.normal(size=n), rng.normal(size=n)
            beta[dead], mean[dead] = 0.0, 0.0
            follower.beta.assign(beta.astype(np.float32))
            follower.moving_mean.assign(mean.astype(np.float32))
            follower.moving_variance.assign(rng.uniform(0.5, 2.0, n).astype(np.float32))


@pytest.mark.parametrize("arch", sorted(SHAPES))
def test_removing_silent_channels_keeps_the_outputs(tf, arch):
    from microforge.train.zoo import build_model

    model = build_model(arch, SHAPES[arch], 3, width=0.5, seed=1)
    _silence_half_the_channels(model)
    x = np.random.default_rng(1).normal(size=(16, *SHAPES[arch])).astype(np.float32)
    pruned = prune_channels(model, x, np.zeros(16, int), None, None,
                            StructuredPruneParams(fraction=0.5, epochs=0))
    assert pruned.count_params() < model.count_params() * 0.5
    np.testing.assert_allclose(pruned.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=0, atol=1e-6)


def test_hidden_layers_lose_the_fraction_and_the_classifier_keeps_its_units(tf):
    from microforge.train.zoo import build_model

    model = build_model("cnn1d", (32, 3), 3, width=1.0, seed=2)
    pruned = prune_channels(model, None, None, None, None,
                            StructuredPruneParams(fraction=0.75, epochs=0))
    assert [pruned.get_layer(f"conv{i}").filters for i in (1, 2, 3)] == [4, 8, 12]
    assert pruned.get_layer("conv2").kernel.shape[-2] == 4
    assert pruned.get_layer("conv3_bn").gamma.shape == (12,)
    assert pruned.get_layer("scores").kernel.shape == (12, 3)
    assert pruned.output_shape == model.output_shape


def test_bn_criterion_removes_the_channels_with_the_smallest_scale(tf):
    from microforge.train.zoo import build_model

    model = build_model("cnn1d", (32, 3), 3, width=0.5, seed=3)
    gamma = np.ones(8, np.float32)
    gamma[[1, 6]] = 0.01
    model.get_layer("conv1_bn").gamma.assign(gamma)
    pruned = prune_channels(model, None, None, None, None,
                            StructuredPruneParams(fraction=0.25, epochs=0, criterion="bn"))
    kept = pruned.get_layer("conv1_bn").gamma.numpy()
    assert kept.shape == (6,) and kept.min() == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("distill_alpha", [0.0, 0.5])
def test_fine_tuning_learns_after_pruning(tf, distill_alpha):
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.zoo import build_model

    x, y = separable_windows(n=150, seed=4)
    model = build_model("cnn1d", x.shape[1:], 3, seed=4)
    train_model(model, x[:120], y[:120], params=TrainParams(epochs=6, batch_size=16, seed=4,
                                                            early_stopping_patience=0),
                progress=False)
    params = StructuredPruneParams(fraction=0.5, epochs=4, learning_rate=2e-3, batch_size=16,
                                   distill_alpha=distill_alpha)
    pruned = prune_channels(model, x[:120], y[:120], x[120:], y[120:], params)
    accuracy = np.mean(np.argmax(pruned.predict(x[120:], verbose=0), -1) == y[120:])
    assert accuracy > 0.8


def test_branches_and_unknown_layers_are_model_errors_naming_the_layer(tf):
    import keras

    inputs = keras.Input((8, 2))
    a = keras.layers.Conv1D(4, 3, padding="same", name="left")(inputs)
    b = keras.layers.Conv1D(4, 3, padding="same", name="right")(inputs)
    added = keras.layers.Add(name="join")([a, b])
    out = keras.layers.Dense(2, name="head")(keras.layers.Flatten()(added))
    with pytest.raises(ModelError, match="right|join"):
        prune_channels(keras.Model(inputs, out), None, None, None, None,
                       StructuredPruneParams(epochs=0))

    inputs = keras.Input((8, 2))
    x = keras.layers.Conv1D(4, 3, name="conv")(inputs)
    x = keras.layers.LayerNormalization(name="odd_norm")(x)
    out = keras.layers.Dense(2, name="head")(keras.layers.Flatten()(x))
    with pytest.raises(ModelError, match="odd_norm"):
        prune_channels(keras.Model(inputs, out), None, None, None, None,
                       StructuredPruneParams(epochs=0))


@pytest.mark.parametrize("field, value", [("fraction", 0.0), ("fraction", 1.0),
                                          ("criterion", "l3"), ("batch_size", 0),
                                          ("distill_alpha", 1.5), ("distill_temperature", 0.0)])
def test_bad_parameters_are_config_errors(field, value):
    with pytest.raises(ConfigError):
        StructuredPruneParams(**{field: value})


@pytest.mark.slow
def test_compiled_pruned_model_has_fewer_macs_less_flash_and_ram(tf):
    import microforge
    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    x, _ = separable_windows(n=64, length=64, seed=5)
    model = build_model("cnn1d", x.shape[1:], 3, seed=5)
    pruned = prune_channels(model, None, None, None, None,
                            StructuredPruneParams(fraction=0.5, epochs=0))
    before = microforge.compile(quantize_int8(model, x, n_samples=50))
    after = microforge.compile(quantize_int8(pruned, x, n_samples=50))
    assert after.info.macs < 0.5 * before.info.macs
    assert after.weight_bytes < 0.5 * before.weight_bytes
    assert after.arena_size < before.arena_size
    assert after.flash_estimate() < 0.75 * before.flash_estimate()
