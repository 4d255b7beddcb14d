"""The data and models one fold's variants are built from: features, the trained baseline."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from microforge.pipeline.features import Features, compute_features
from microforge.workspace.data import ProjectData
from microforge.workspace.folds import Fold
from microforge.workspace.specs import augment_params, train_params


@dataclass
class FoldData:
    """One fold's features and its trained float baseline (the project's own model)."""

    fold: Fold
    features: Features
    train_windows: np.ndarray  # raw windows of the train split (for augmentation)
    classes: list[str]
    baseline: object  # keras.Model
    train_seconds: float = 0.0

    @property
    def x_train(self) -> np.ndarray:
        return self.features.x["train"]

    @property
    def y_train(self) -> np.ndarray:
        return self.features.y["train"]

    @property
    def validation(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(x_val, y_val), or (None, None) when the fold has no validation split."""
        if self.features.has("val"):
            return self.features.x["val"], self.features.y["val"]
        return None, None

    @property
    def x_test(self) -> np.ndarray:
        return self.features.x["test"]

    @property
    def y_test(self) -> np.ndarray:
        return self.features.y["test"]


def prepare_fold(project, fold: Fold, callbacks: list | None = None) -> FoldData:
    """Fit the DSP block on the fold's train windows and train the project's model on them
    (`callbacks`: Keras callbacks for that training, e.g. the search's pruning)."""
    dataset, windows = project.load()
    features = compute_features(project.config, fold, windows, dataset.sample_rate)
    train_windows = windows.x[fold.mask("train")]
    data = FoldData(fold, features, train_windows, list(dataset.classes), baseline=None)
    started = time.perf_counter()
    data.baseline = train_project_model(project, data, width=project.config.model.width,
                                        callbacks=callbacks)
    data.train_seconds = time.perf_counter() - started
    return data


def build_project_model(project: ProjectData, data: FoldData, width: float):
    """An untrained model of the project's architecture at `width` (seeded as the project)."""
    from microforge.train.zoo import build_model

    config = project.config
    return build_model(
        config.model.architecture,
        data.features.input_shape,
        len(data.classes),
        width=width,
        dropout=config.model.dropout,
        seed=config.training.seed,
        depth=config.model.depth,
    )


def training_input(project: ProjectData, data: FoldData):
    """(x, batch_transform) to train on as the pipeline does: with [training] augment, the raw
    train windows and a per-batch augment-then-DSP transform; else the features and None."""
    config = project.config
    if not config.training.augment:
        return data.x_train, None
    from microforge.train.augment import WindowAugmenter

    windows = data.train_windows
    std = windows.reshape(-1, windows.shape[-1]).std(axis=0)
    channels = project.load()[0].channel_names
    augmenter = WindowAugmenter(augment_params(config), channels, std)
    block = data.features.block

    def transform(batch, rng):
        return block.transform(augmenter(batch, rng)).astype(np.float32)

    return windows, transform


def train_project_model(project: ProjectData, data: FoldData, width: float,
                        callbacks: list | None = None):
    """Train a model as the pipeline does ([training], augmentation included), without a bar."""
    from microforge.train.fit import train_model

    params = train_params(project.config)
    x_train, params.batch_transform = training_input(project, data)
    model = build_project_model(project, data, width)
    train_model(model, x_train, data.y_train, *data.validation, params, progress=False,
                callbacks=callbacks)
    return model
