"""Image fixtures: scikit-learn's bundled digits (1,797 real 8x8 handwritten digits) written
as PNG folders, and a generated detection set (bright squares/discs pasted on textured
backgrounds at known centroids)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest


def digits_folder(root: Path, per_class: int = 20, classes: tuple[int, ...] = (0, 1, 2, 3),
                  upscale: int = 2, fmt: str = "png") -> Path:
    """`root/<digit>/w<writer>_<i>.png`: real digits (16 grey levels -> 0..255), upscaled
    nearest; the group is a pseudo-writer (index // 10) so that splits are by group."""
    from PIL import Image

    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    for digit in classes:
        folder = root / str(digit)
        folder.mkdir(parents=True, exist_ok=True)
        images = digits.images[digits.target == digit][:per_class]
        for i, image in enumerate(images):
            pixels = np.round(image * 255.0 / 16.0).astype(np.uint8)
            pixels = np.kron(pixels, np.ones((upscale, upscale), np.uint8))
            Image.fromarray(pixels).save(folder / f"w{i // 5}_{i:03d}.{fmt}")
    return root


def detection_set(root: Path, n_images: int = 24, size: int = 48, seed: int = 0,
                  max_objects: int = 3) -> tuple[Path, dict[str, list[tuple[str, float, float]]]]:
    """Grayscale `root/scene<k>_<i>.png` with 0..max_objects bright squares ("square") and
    discs ("disc") of 8 px, and `bounding_boxes.labels`; returns the centroids too."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    boxes: dict[str, list[dict[str, float | str]]] = {}
    truth: dict[str, list[tuple[str, float, float]]] = {}
    yy, xx = np.mgrid[0:8, 0:8]
    disc = (yy - 3.5) ** 2 + (xx - 3.5) ** 2 <= 16
    for i in range(n_images):
        image = rng.integers(0, 60, size=(size, size)).astype(np.uint8)
        name = f"scene{i % 4}_{i:03d}.png"
        boxes[name], truth[name] = [], []
        taken: list[tuple[int, int]] = []
        for _ in range(int(rng.integers(0, max_objects + 1))):
            x, y = (int(v) for v in rng.integers(0, size - 8, size=2))
            if any(abs(x - a) < 12 and abs(y - b) < 12 for a, b in taken):
                continue
            taken.append((x, y))
            label = "square" if rng.random() < 0.5 else "disc"
            patch = image[y:y + 8, x:x + 8]
            patch[disc if label == "disc" else np.ones((8, 8), bool)] = 230
            boxes[name].append({"label": label, "x": x, "y": y, "width": 8, "height": 8})
            truth[name].append((label, x + 4.0, y + 4.0))
        Image.fromarray(image).save(root / name)
    (root / "bounding_boxes.labels").write_text(json.dumps(
        {"version": 1, "type": "bounding-box-labels", "boundingBoxes": boxes}))
    return root, truth
