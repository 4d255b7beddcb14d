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


def test_calibration_takes_the_float_range_and_training_keeps_it(tf):
    import keras

    from microforge.optimize.qat import fake_quant_model
    from microforge.optimize.qat_layers import ActivationFakeQuant, calibrate

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax", name="scores")(inputs))
    trainer = fake_quant_model(model)
    x = np.array([[-1.0, 0.5, 2.0], [0.0, 3.0, -0.5]], np.float32)
    calibrate(trainer, x)
    first = trainer.get_layer("input_fq")
    assert isinstance(first, ActivationFakeQuant)
    assert float(first.range_min.numpy()) == -1.0 and float(first.range_max.numpy()) == 3.0
    trainer(x * 10, training=True)  # out-of-range batch: rounded and clipped, range unchanged
    assert float(first.range_max.numpy()) == 3.0


@pytest.mark.slow  # trains three times (about 40-60 s on the shared machine)
def test_qat_recovers_most_of_what_ptq_loses_to_an_activation_outlier(tf):
    """The mechanism: one hidden unit with a huge constant output (ignored downstream, so the
    float model is unchanged) widens dense1's int8 range until its informative units keep a few
    steps. PTQ loses accuracy; QAT learns weights that survive that rounding."""
    from microforge.optimize.ptq import predict_variant, quantize_variant
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.zoo import build_model

    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 8)).astype(np.float32)
    y = np.arange(1500) % 3
    x = (centers[y] + 0.8 * rng.normal(size=(1500, 8))).astype(np.float32)
    x_train, y_train, x_test, y_test = x[:500], y[:500], x[500:], y[500:]
    model = build_model("dense", (8,), 3, width=0.5, dropout=0.0, seed=0)
    params = TrainParams(epochs=30, early_stopping_patience=0)
    train_model(model, x_train, y_train, params=params, progress=False)
    kernel1, bias1 = model.get_layer("dense1").get_weights()
    kernel1[:, 0], bias1[0] = 0.0, 1000.0
    model.get_layer("dense1").set_weights([kernel1, bias1])
    kernel2, bias2 = model.get_layer("dense2").get_weights()
    kernel2[0, :] = 0.0
    model.get_layer("dense2").set_weights([kernel2, bias2])

    def int8_accuracy(m) -> float:
        scores = predict_variant(quantize_variant(m, x_train, "ptq_int8"), x_test)
        return float((scores.argmax(-1) == y_test).mean())

    float_acc = float((model.predict(x_test, verbose=0).argmax(-1) == y_test).mean())
    ptq_acc = int8_accuracy(model)
    tuned = qat_finetune(model, x_train, y_train, params=QatParams(epochs=5, learning_rate=1e-2))
    qat_acc = int8_accuracy(tuned)
    assert float_acc - ptq_acc >= 0.05  # PTQ loses at least 5 points here
    assert qat_acc - ptq_acc >= 0.5 * (float_acc - ptq_acc)
