from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError, ModelError
from microforge.optimize.qat import QatParams, qat_finetune


def test_params_are_checked():
    with pytest.raises(ConfigError, match="epochs"):
        QatParams(epochs=0)
    with pytest.raises(ConfigError, match="learning_rate"):
        QatParams(learning_rate=0)


def _with_batchnorm_statistics(model, seed: int = 0):
    """Give every BatchNorm non-trivial statistics (as after training)."""
    import keras

    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.set_weights(
                [
                    rng.uniform(0.5, 2, n),
                    rng.normal(0, 0.3, n),
                    rng.normal(0, 0.3, n),
                    rng.uniform(0.2, 3, n),
                ]
            )
    return model


@pytest.mark.parametrize("arch,shape", [("cnn1d", (16, 3)), ("dscnn", (12, 8))])
def test_batchnorm_folding_keeps_the_function(tf, arch, shape):
    import keras

    from microforge.optimize.qat_layers import fold_batchnorm
    from microforge.train.zoo import build_model

    model = _with_batchnorm_statistics(build_model(arch, shape, 3, width=0.25, seed=1))
    folded = fold_batchnorm(model)
    x = np.random.default_rng(2).normal(size=(8, *shape)).astype(np.float32)
    assert np.allclose(folded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in folded.layers)
    assert folded.get_layer("conv1").use_bias


def test_weight_fake_quant_is_a_per_channel_int8_grid_with_identity_gradient(tf):
    from microforge.optimize.qat_layers import fake_quant_weights

    w = tf.Variable(np.random.default_rng(0).normal(size=(3, 1, 4, 5)).astype(np.float32))
    w[..., 0].assign(w[..., 0] * 100)  # channels are independent
    with tf.GradientTape() as tape:
        q = fake_quant_weights(w, depthwise=False)
        loss = tf.reduce_sum(q * 3.0)
    q = q.numpy()
    step = np.abs(w.numpy()).reshape(-1, 5).max(axis=0) / 127
    levels = q.reshape(-1, 5) / step
    assert np.allclose(levels, np.round(levels), atol=1e-3) and np.abs(levels).max() <= 127.001
    assert np.allclose(np.abs(q).reshape(-1, 5).max(axis=0), step * 127)
    assert np.allclose(tape.gradient(loss, w).numpy(), 3.0)


def test_activation_fake_quant_has_256_levels_an_exact_zero_and_clips_gradients(tf):
    from microforge.optimize.qat_layers import fake_quant_activations

    x = tf.Variable(np.linspace(-2.0, 7.0, 2001, dtype=np.float32))
    with tf.GradientTape() as tape:
        q = fake_quant_activations(x, tf.constant(-1.0), tf.constant(5.0))
        loss = tf.reduce_sum(q)
    q, grad = q.numpy(), tape.gradient(loss, x).numpy()
    assert len(np.unique(q)) <= 256 and 0.0 in q
    assert q.min() == pytest.approx(-1.0, abs=0.03) and q.max() == pytest.approx(5.0, abs=0.03)
    inside = (x.numpy() > -0.95) & (x.numpy() < 4.95)
    assert np.all(grad[inside] == 1.0) and np.all(grad[x.numpy() > 5.1] == 0.0)


def test_branching_models_are_refused(tf):
    import keras

    from microforge.optimize.qat_layers import layer_chain

    inputs = keras.Input((4,))
    a = keras.layers.Dense(3, name="a")(inputs)
    b = keras.layers.Dense(3, name="b")(inputs)
    model = keras.Model(inputs, keras.layers.Add(name="sum")([a, b]))
    with pytest.raises(ModelError, match="single-path"):
        layer_chain(model)


@pytest.mark.slow  # trains (about 20-45 s on the shared machine)
def test_finetuned_model_converts_to_the_same_int8_ops_and_leaves_the_input_alone(tf):
    import tflite

    from microforge.optimize.ptq import quantize_variant
    from microforge.train.zoo import build_model
    from tests.train.test_fit import separable_windows

    x, y = separable_windows(n=60, length=16, seed=3)
    model = build_model("cnn1d", x.shape[1:], 3, width=0.25, seed=0)
    before = [w.copy() for w in model.get_weights()]
    tuned = qat_finetune(model, x, y, x[:12], y[:12], QatParams(epochs=1, batch_size=16))
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))

    def op_codes(data: bytes) -> list[int]:
        m = tflite.Model.GetRootAsModel(data, 0)
        graph = m.Subgraphs(0)
        ops = (graph.Operators(i) for i in range(graph.OperatorsLength()))
        return [m.OperatorCodes(op.OpcodeIndex()).BuiltinCode() for op in ops]

    assert op_codes(quantize_variant(tuned, x, "ptq_int8")) == op_codes(
        quantize_variant(model, x, "ptq_int8")
    )
