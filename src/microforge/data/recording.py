"""The in-memory dataset: labelled multichannel recordings, each tagged with its group."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ImageObject:
    """One annotated object of an image: its box in pixels (top-left x, y, width, height); a
    centroid-only annotation has width = height = 0."""

    label: str
    x: float
    y: float
    width: float = 0.0
    height: float = 0.0

    @property
    def centroid(self) -> tuple[float, float]:
        return (self.x + self.width / 2.0, self.y + self.height / 2.0)


@dataclass
class Recording:
    """One labelled recording (or one pre-cut window / segment of a public dataset)."""

    signal: np.ndarray  # float32, shape (n_samples, n_channels)
    sample_rate: float
    label: str
    group: str  # subject / speaker / segment id; never split across train and test
    source: str  # file path (plus row/segment) for messages and the manifest
    channel_names: tuple[str, ...]
    # detection images: the annotated objects (None: not a detection dataset)
    objects: tuple[ImageObject, ...] | None = None

    @property
    def n_samples(self) -> int:
        return int(self.signal.shape[0])

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate


@dataclass
class Dataset:
    """Recordings sharing one sample rate and one channel layout, with the class order."""

    recordings: list[Recording]
    classes: list[str]  # label order used for integer labels
    sample_rate: float
    channel_names: tuple[str, ...]
    name: str
    notes: list[str] = field(default_factory=list)  # what loading dropped or changed

    def label_index(self, label: str) -> int:
        return self.classes.index(label)

    def labels(self) -> np.ndarray:
        """Integer label of every recording (int64)."""
        index = {c: i for i, c in enumerate(self.classes)}
        return np.array([index[r.label] for r in self.recordings], dtype=np.int64)

    def groups(self) -> np.ndarray:
        return np.array([r.group for r in self.recordings], dtype=str)
