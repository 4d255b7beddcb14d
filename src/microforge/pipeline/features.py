"""DSP features for one fold: the block is fitted on the fold's training windows only."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from microforge.config import ProjectConfig
from microforge.data.windowing import Windows
from microforge.dsp.base import DspBlock
from microforge.workspace.folds import Fold

PARTS = ("train", "val", "test")


@dataclass
class Features:
    block: DspBlock  # fitted on the fold's training windows
    x: dict[str, np.ndarray] = field(default_factory=dict)
    y: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x["train"].shape[1:])

    def has(self, part: str) -> bool:
        return part in self.x and len(self.y[part]) > 0


def make_dsp_block(config: ProjectConfig) -> DspBlock:
    from microforge.dsp import make_block

    return make_block(config.dsp.block, config.dsp.params)


def compute_features(
    config: ProjectConfig, fold: Fold, windows: Windows, sample_rate: float,
    block: DspBlock | None = None,
) -> Features:
    """Fit the DSP block on train windows (unless a fitted `block` is given), transform all."""
    if block is None:
        block = make_dsp_block(config)
        block.fit(windows.x[fold.mask("train")], sample_rate)
    features = Features(block)
    for part in PARTS:
        mask = fold.mask(part)
        features.x[part] = block.transform(windows.x[mask]).astype(np.float32)
        features.y[part] = windows.y[mask]
    return features
