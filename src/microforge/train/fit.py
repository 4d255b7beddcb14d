"""Train a Keras classifier reproducibly: fixed seeds, class weights, early stopping, rich bar."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import numpy as np

from microforge.errors import DataError
from microforge.schema import bounded, check_bounds, runtime_only
from microforge.train.augment import BatchTransform, batches


@dataclass
class TrainParams:
    """[training] in microforge.toml (its section is derived from this class)."""

    epochs: int = bounded(30, ge=1, le=10_000)
    batch_size: int = bounded(32, ge=1, le=65_536)
    learning_rate: float = bounded(1e-3, gt=0, lt=1)
    seed: int = 0
    # epochs without improvement of the monitored loss before stopping; 0: never stop early
    early_stopping_patience: int = bounded(8, ge=0)
    class_weights: bool = True  # weight classes by inverse train frequency
    # constant | cosine (decays to 0 over `epochs`)
    lr_schedule: str = bounded("constant", choices=("constant", "cosine"))
    # Applied to every training batch, fresh each time: (x_batch, rng) -> model input. With it,
    # x_train may be raw windows (augmentation, then the DSP block; see train/augment.py).
    batch_transform: BatchTransform | None = runtime_only()

    def __post_init__(self) -> None:
        check_bounds(self, "training")


@dataclass
class TrainResult:
    history: dict[str, list[float]] = field(default_factory=dict)
    epochs_run: int = 0
    best_epoch: int = 0  # 1-based epoch whose weights the model holds


def class_weight_map(y: np.ndarray, n_classes: int) -> dict[int, float]:
    """Inverse-frequency weights n / (k * count_c) over the k classes present; 1.0 for absent."""
    counts = np.bincount(y, minlength=n_classes)
    present = int((counts > 0).sum())
    return {
        c: float(len(y) / (present * counts[c])) if counts[c] else 1.0 for c in range(n_classes)
    }


def train_model(
    model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    params: TrainParams | None = None,
    progress: bool = True,
    console=None,
    callbacks: list | None = None,
) -> TrainResult:
    """Fit `model` (softmax output) on integer labels; the best weights are restored.

    `progress` shows one rich bar over epochs (on `console`, a rich Console, if given);
    `callbacks` (Keras callbacks) are called after the early stopping and the bar.
    """
    import keras
    import tensorflow as tf

    params = params or TrainParams()
    n_classes = int(model.output_shape[-1])
    x_train, y_train = _checked(x_train, y_train, n_classes, "train")
    steps_per_epoch = int(np.ceil(len(y_train) / params.batch_size))
    has_val = x_val is not None and y_val is not None and len(y_val) > 0
    if has_val:
        x_val, y_val = _checked(x_val, y_val, n_classes, "validation")

    keras.utils.set_random_seed(params.seed)
    with contextlib.suppress(AttributeError, RuntimeError):  # older TF: best effort
        tf.config.experimental.enable_op_determinism()

    learning_rate = params.learning_rate
    if params.lr_schedule == "cosine":
        learning_rate = keras.optimizers.schedules.CosineDecay(
            params.learning_rate, params.epochs * steps_per_epoch
        )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    monitor = "val_loss" if has_val else "loss"
    extra = list(callbacks or [])
    callbacks = []
    if params.early_stopping_patience > 0:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=params.early_stopping_patience, restore_best_weights=True
            )
        )
    if progress:
        from microforge.train.progress import rich_epoch_callback

        callbacks.append(rich_epoch_callback(params.epochs, console=console))
    callbacks += extra

    weights = class_weight_map(y_train, n_classes) if params.class_weights else None
    fit_kwargs = dict(
        epochs=params.epochs,
        callbacks=callbacks,
        verbose=0,
        validation_data=(x_val, y_val) if has_val else None,
    )
    if params.batch_transform is not None:
        per_sample = (
            np.array([weights[int(c)] for c in y_train], np.float32)
            if weights
            else np.ones(len(y_train), np.float32)
        )
        data = batches(
            x_train, y_train, per_sample, params.batch_size, params.batch_transform, params.seed
        )
        history = model.fit(data, **fit_kwargs)
    else:
        history = model.fit(
            x_train,
            y_train,
            batch_size=params.batch_size,
            shuffle=True,
            class_weight=weights,
            **fit_kwargs,
        )
    logs = {k: [float(v) for v in values] for k, values in history.history.items()}
    epochs_run = len(logs.get("loss", []))
    watched = logs.get(monitor, [])
    stopped_early = params.early_stopping_patience > 0
    best = int(np.argmin(watched)) + 1 if watched and stopped_early else epochs_run
    return TrainResult(history=logs, epochs_run=epochs_run, best_epoch=best)


def _checked(x, y, n_classes: int, split: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y).reshape(-1)
    if len(x) != len(y):
        raise DataError(f"{split} set: {len(x)} inputs but {len(y)} labels")
    if len(y) == 0:
        raise DataError(f"{split} set is empty; check the split settings")
    if not np.issubdtype(y.dtype, np.integer):
        raise DataError(f"{split} labels must be integer class indices, got {y.dtype}")
    if y.min() < 0 or y.max() >= n_classes:
        raise DataError(
            f"{split} labels reach class {int(y.max())} but the model has {n_classes} outputs"
        )
    if not np.all(np.isfinite(x)):
        raise DataError(f"{split} inputs contain NaN or infinity; check the DSP features")
    return x, y.astype(np.int32)
