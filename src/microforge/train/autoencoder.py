"""A small dense autoencoder for anomaly detection, trained on normal feature rows only and
quantized to int8 through the TFLite converter (train/quantize.py). Its C (the compiled
model + the reconstruction-error score beside it) is classical/autoencoder.py."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import DataError
from microforge.train.quantize import quantize_int8


@dataclass(frozen=True)
class TrainedAutoencoder:
    tflite: bytes         # int8 model: standardized features in, their reconstruction out
    mean: np.ndarray      # float32 (n_features,): z = (x - mean) * inv_std
    inv_std: np.ndarray   # float32 (n_features,)


def fit_autoencoder(normal: np.ndarray, hidden: tuple[int, ...] = (32, 8),
                    epochs: int = 300, seed: int = 0) -> TrainedAutoencoder:
    """Dense n -> hidden... -> (mirrored) -> n, ReLU, mean squared error on the standardized
    normal rows; int8 calibrated on the same rows."""
    import keras

    x = np.asarray(normal, np.float32)
    if x.ndim != 2 or len(x) < 2:
        raise DataError(f"autoencoder: need >= 2 normal feature rows, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise DataError("autoencoder: the normal features contain NaN or infinity; clean them")
    mean = x.mean(axis=0).astype(np.float32)
    std = x.std(axis=0)
    inv_std = (1.0 / np.where(std > 1e-12, std, 1.0)).astype(np.float32)
    z = ((x - mean) * inv_std).astype(np.float32)
    keras.utils.set_random_seed(seed)
    inp = keras.Input(shape=(x.shape[1],))
    h = inp
    for units in (*hidden, *hidden[-2::-1]):
        h = keras.layers.Dense(units, activation="relu")(h)
    model = keras.Model(inp, keras.layers.Dense(x.shape[1])(h), name="autoencoder")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(z, z, epochs=epochs, batch_size=32, shuffle=True, verbose=0)
    return TrainedAutoencoder(quantize_int8(model, z, n_samples=len(z), seed=seed), mean,
                              inv_std)
