"""Magnitude pruning with a polynomial sparsity schedule, in plain Keras 3.

During fine-tuning the target sparsity of every weight kernel (Conv1D/2D, DepthwiseConv1D/2D,
Dense) rises from 0 to `sparsity` along s(t) = s_f * (1 - (1 - t / t_end)^3) (Zhu & Gupta,
2017), with t_end at `ramp_fraction` of the steps; then it stays there. After every batch the
smallest-magnitude weights of each kernel are set to zero (a mask per kernel, recomputed while
the target rises), so the optimizer keeps learning around them. Biases and BatchNormalization
stay dense. The result has the same shapes as the input model, with zeros.

tensorflow-model-optimization is not used: it works only with `tf_keras` (legacy Keras 2), and
microforge models are Keras 3. A batch-end callback does the same job in a few lines.

On microforge's dense int8 kernels (and TFLM's), zeros cost the same flash, RAM and time as any
other weight: unstructured sparsity pays only where the weights are compressed (a zip of the
firmware image, an OTA delta) or a sparse kernel skips them. Use structured pruning for MCUs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ConfigError
from microforge.train.augment import BatchTransform

PRUNABLE_LAYERS = ("Conv1D", "Conv2D", "DepthwiseConv1D", "DepthwiseConv2D", "Dense")


@dataclass
class MagnitudePruneParams:
    sparsity: float = 0.5  # final fraction of zeros in every pruned kernel
    epochs: int = 10
    learning_rate: float = 1e-4
    batch_size: int = 32
    seed: int = 0
    ramp_fraction: float = 0.7  # the sparsity reaches its target at this fraction of the steps
    batch_transform: BatchTransform | None = None  # per-batch augmentation, as in TrainParams

    def __post_init__(self) -> None:
        if not 0 < self.sparsity < 1:
            raise ConfigError(f"optimize.prune_sparsity must be in (0, 1), got {self.sparsity}")
        if not 0 < self.ramp_fraction <= 1:
            raise ConfigError(f"ramp_fraction must be in (0, 1], got {self.ramp_fraction}")
        check_finetune_fields(self)


def check_finetune_fields(params) -> None:
    """Shared checks of epochs, batch size and learning rate (ConfigError naming the field)."""
    if int(params.epochs) < 0:
        raise ConfigError(f"optimize: epochs must be >= 0, got {params.epochs}")
    if int(params.batch_size) < 1:
        raise ConfigError(f"optimize: batch_size must be >= 1, got {params.batch_size}")
    if params.learning_rate <= 0:
        raise ConfigError(f"optimize: learning_rate must be > 0, got {params.learning_rate}")


def polynomial_sparsity(step: int, end_step: int, final: float) -> float:
    """Target sparsity at `step`: cubic rise from 0 to `final` at `end_step`, then constant."""
    if end_step <= 0 or step >= end_step:
        return final
    return final * (1.0 - (1.0 - step / end_step) ** 3)


def magnitude_mask(weights: np.ndarray, sparsity: float) -> np.ndarray:
    """1 for the weights kept, 0 for the round(sparsity * size) smallest magnitudes."""
    n_zero = int(round(sparsity * weights.size))
    mask = np.ones(weights.size, dtype=np.float32)
    if n_zero > 0:
        order = np.argsort(np.abs(weights).reshape(-1), kind="stable")
        mask[order[:n_zero]] = 0.0
    return mask.reshape(weights.shape)


def prunable_kernels(model) -> list:
    """The kernel variables magnitude pruning acts on (one per Conv/Depthwise/Dense layer)."""
    kernels = []
    for layer in model.layers:
        if type(layer).__name__ in PRUNABLE_LAYERS:
            kernel = getattr(layer, "depthwise_kernel", None)
            kernels.append(kernel if kernel is not None else layer.kernel)
    return kernels


def weight_sparsity(model) -> float:
    """Fraction of exact zeros over the prunable kernels of `model`."""
    kernels = [k.numpy() for k in prunable_kernels(model)]
    total = sum(k.size for k in kernels)
    return float(sum(int((k == 0).sum()) for k in kernels) / total) if total else 0.0


def magnitude_prune(model, x, y, x_val, y_val, params: MagnitudePruneParams | None = None):
    """A copy of `model` fine-tuned while its smallest weights are zeroed (`model` untouched)."""
    import keras

    from microforge.errors import ModelError

    params = params or MagnitudePruneParams()
    original = model
    model = keras.models.clone_model(original)
    model.set_weights(original.get_weights())
    kernels = prunable_kernels(model)
    if not kernels:
        raise ModelError(f"{model.name}: no Conv/Dense kernel to prune")
    steps_per_epoch = int(np.ceil(len(x) / params.batch_size))
    total_steps = max(1, params.epochs * steps_per_epoch)
    end_step = max(1, int(round(params.ramp_fraction * total_steps)))
    final_sparsity = params.sparsity

    class _Masker(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.step = 0
            self.masks: list[np.ndarray] = []
            self.current = -1.0

        def apply(self) -> None:
            target = polynomial_sparsity(self.step, end_step, final_sparsity)
            if target != self.current:  # the target rose: new masks from the magnitudes
                self.masks = [magnitude_mask(k.numpy(), target) for k in kernels]
                self.current = target
            for kernel, mask in zip(kernels, self.masks, strict=True):
                kernel.assign(kernel.numpy() * mask)

        def on_train_batch_end(self, batch, logs=None) -> None:
            self.step += 1
            self.apply()

        def on_train_end(self, logs=None) -> None:
            self.step = total_steps
            self.apply()

    masker = _Masker()
    if params.epochs == 0:
        masker.on_train_end()
        return model
    finetune(model, x, y, x_val, y_val, params, [masker])
    return model


def finetune(model, x, y, x_val, y_val, params, callbacks: list | None = None) -> None:
    """Adam with a cosine decay over `params.epochs`, sparse cross-entropy, no class weights."""
    import keras

    from microforge.train.augment import batches
    from microforge.train.fit import _checked

    n_classes = int(model.output_shape[-1])
    x, y = _checked(x, y, n_classes, "train")
    keras.utils.set_random_seed(params.seed)
    steps = params.epochs * int(np.ceil(len(y) / params.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(params.learning_rate, max(1, steps))
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    has_val = x_val is not None and y_val is not None and len(y_val) > 0
    validation = _checked(x_val, y_val, n_classes, "validation") if has_val else None
    common = dict(epochs=params.epochs, callbacks=callbacks or [], verbose=0,
                  validation_data=validation)
    if params.batch_transform is not None:
        data = batches(x, y, np.ones(len(y), np.float32), params.batch_size,
                       params.batch_transform, params.seed)
        model.fit(data, **common)
    else:
        model.fit(x, y, batch_size=params.batch_size, shuffle=True, **common)
