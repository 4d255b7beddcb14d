"""Quantization-aware training in Keras 3 (no tensorflow-model-optimization, which needs tf_keras).

1. BatchNormalization layers that follow a Conv2D/DepthwiseConv2D/Dense are folded into it,
   as the TFLite converter will fold them (so the weights trained are the weights quantized).
2. A training graph shares those layers and adds fake quantization where TFLite int8 rounds:
   weights per output channel, symmetric over [-127, 127] (TFLite's per-channel scheme), and
   activations per tensor over [-128, 127], at the model input and after each conv/dense layer
   (after its fused ReLU). The activation ranges are recalibrated at the start of every epoch
   as the converter will calibrate them: float min/max over the representative set. Gradients
   pass through the rounding unchanged (straight-through estimator), zero outside the range.
3. The fine-tuned float model (folded, no fake-quant layers) is returned; `quantize_variant(...,
   "ptq_int8")` then calibrates it and gives the int8 model whose weight grid is the trained one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ConfigError
from microforge.train.fit import _checked


@dataclass
class QatParams:
    epochs: int = 10
    learning_rate: float = 1e-4
    batch_size: int = 32
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"qat.{name} must be >= 1, got {getattr(self, name)}")
        if self.learning_rate <= 0:
            raise ConfigError(f"qat.learning_rate must be > 0, got {self.learning_rate}")


def qat_finetune(
    model,
    x,
    y,
    x_val=None,
    y_val=None,
    params: QatParams | None = None,
    x_rep: np.ndarray | None = None,
):
    """Fine-tune `model` under simulated int8 rounding; returns a new float Keras model with the
    BatchNorms folded (same TFLite ops). `x_rep`: the representative set PTQ will use (default:
    `representative_set(x, y, RepresentativeSpec(seed=params.seed))`). With validation data,
    the epoch with the lowest validation loss is kept. `model` itself is not changed."""
    import keras

    from microforge.optimize.ptq import RepresentativeSpec, representative_set
    from microforge.optimize.qat_layers import calibrate, fold_batchnorm

    params = params or QatParams()
    n_classes = int(model.output_shape[-1])
    x, y = _checked(x, y, n_classes, "QAT train")
    has_val = x_val is not None and y_val is not None and len(y_val) > 0
    if has_val:
        x_val, y_val = _checked(x_val, y_val, n_classes, "QAT validation")
    keras.utils.set_random_seed(params.seed)
    folded = fold_batchnorm(model)
    trainer = fake_quant_model(folded)
    trainer.compile(
        optimizer=keras.optimizers.Adam(params.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    if x_rep is None:
        x_rep = representative_set(x, y, RepresentativeSpec(seed=params.seed))
    x_rep = np.asarray(x_rep, dtype=np.float32)
    callbacks = [
        keras.callbacks.LambdaCallback(on_epoch_begin=lambda *_: calibrate(trainer, x_rep))
    ]
    if has_val:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=params.epochs, restore_best_weights=True
            )
        )
    trainer.fit(
        x,
        y,
        batch_size=params.batch_size,
        epochs=params.epochs,
        shuffle=True,
        verbose=0,
        callbacks=callbacks,
        validation_data=(x_val, y_val) if has_val else None,
    )
    return folded  # its layers are the ones the trainer trained


def fake_quant_model(folded):
    """A Keras model sharing `folded`'s layers, with weight and activation fake quantization."""
    import keras

    from microforge.optimize.qat_layers import (
        KERNEL_LAYERS,
        ActivationFakeQuant,
        FakeQuantKernel,
        layer_chain,
    )

    layers = layer_chain(folded)
    inputs = keras.Input(shape=folded.input_shape[1:], name="input")
    x = ActivationFakeQuant(name="input_fq")(inputs)
    i = 0
    while i < len(layers):
        layer = layers[i]
        if not isinstance(layer, KERNEL_LAYERS):
            x = layer(x)
            i += 1
            continue
        wrapped = FakeQuantKernel(layer, name=f"{layer.name}_fq")
        x = wrapped(x)
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if wrapped.activation_name == "linear" and _is_fusable_relu(nxt):
            x = nxt(x)  # TFLite fuses the ReLU: one rounding, after it
            i += 1
        x = ActivationFakeQuant(name=f"{layer.name}_out_fq")(x)
        if wrapped.activation_name == "softmax":
            x = keras.layers.Softmax(name=f"{layer.name}_softmax")(x)
        i += 1
    return keras.Model(inputs, x, name=f"{folded.name}_qat")


def _is_fusable_relu(layer) -> bool:
    import keras

    if isinstance(layer, keras.layers.ReLU):
        cfg = layer.get_config()
        return not cfg.get("negative_slope") and not cfg.get("threshold")
    if isinstance(layer, keras.layers.Activation):
        return layer.get_config()["activation"] in ("relu", "relu6")
    return False
