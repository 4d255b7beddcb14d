"""Image augmentation for training (before the image block, fresh every batch): horizontal
flip, a random shift (a crop moved by up to `shift` of the size, edges repeated) and
brightness. Used instead of the window augmentation when the windows are images."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ImageAugmentParams:
    flip: bool = True  # mirror left-right with probability 1/2 (not for text or arrows)
    shift: float = 0.1  # largest shift, as a fraction of the width / height
    brightness: float = 0.2  # pixels scaled by 1 +- brightness (clipped to 0..255)


class ImageAugmenter:
    """Callable (images (n, h, w, c) of 0..255, rng) -> augmented images, same shape."""

    def __init__(self, params: ImageAugmentParams | None = None) -> None:
        self.params = params or ImageAugmentParams()

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        p = self.params
        out = np.array(x, dtype=np.float32, copy=True)
        n, h, w, _ = out.shape
        if p.flip:
            flip = rng.random(n) < 0.5
            out[flip] = out[flip][:, :, ::-1]
        if p.shift > 0:
            dy = np.asarray(rng.integers(-int(p.shift * h), int(p.shift * h) + 1, size=n))
            dx = np.asarray(rng.integers(-int(p.shift * w), int(p.shift * w) + 1, size=n))
            rows = np.clip(np.arange(h)[None, :] - dy[:, None], 0, h - 1)
            cols = np.clip(np.arange(w)[None, :] - dx[:, None], 0, w - 1)
            out = out[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]
        if p.brightness > 0:
            gain = rng.uniform(1 - p.brightness, 1 + p.brightness, (n, 1, 1, 1))
            out = np.clip(out * gain, 0, 255).astype(np.float32)
        return out
