"""Small trained vision models for the frame-pipeline tests: a MobileNet on real digits and a
FOMO on the generated detection set (a few epochs: C == Python needs real weights, not good
accuracy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.dsp.image_ops import encode_frame
from tests.data.images import detection_set, digits_folder


def rgb565(pixels: np.ndarray) -> bytes:
    """uint8 (h, w, 3) -> little-endian RGB565 bytes."""
    return encode_frame(pixels, "rgb565")


def yuyv(pixels: np.ndarray) -> bytes:
    """uint8 (h, w, 3) -> YUYV bytes (BT.601 full range, chroma of each pixel pair averaged)."""
    return encode_frame(pixels, "yuyv")


def digits_classifier(root: Path, frame_format: str = "rgb565", epochs: int = 3):
    """(fitted image block, int8 model, labels, test images uint8 (n, 32, 32, 3))."""
    from microforge.data import DatasetSpec, load_dataset, make_windows
    from microforge.data.windowing import WindowSpec
    from microforge.dsp import make_block
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    folder = digits_folder(root / "digits", per_class=20, classes=(0, 1, 2, 3), upscale=4)
    dataset = load_dataset(DatasetSpec(folder))
    x = make_windows(dataset, WindowSpec(1, 1)).x
    rgb = np.repeat(x, 3, axis=-1)  # camera frames are colour: RGB565 of the grey digits
    block = make_block("image", {"width": 16, "height": 16, "frame_format": frame_format})
    block.fit(rgb)
    features, y = block.transform(rgb), dataset.labels()
    model = build_model("mobilenet", features.shape[1:], 4, width=0.25, dropout=0.0)
    train_model(model, features, y, params=TrainParams(epochs=epochs, batch_size=16,
                learning_rate=0.005, early_stopping_patience=0), progress=False)
    int8 = quantize_int8(model, features, n_samples=40)
    return block, int8, list(dataset.classes), rgb[::8].astype(np.uint8), y[::8]


def fomo_detector(root: Path, epochs: int = 20, n_images: int = 96):
    """(block, int8 model, labels, images uint8 (n, 48, 48, 1), truth per image, features,
    targets, keras model)."""
    from microforge.data import DatasetSpec, load_dataset, make_windows
    from microforge.data.windowing import WindowSpec
    from microforge.dsp import make_block
    from microforge.train.fit import TrainParams
    from microforge.train.fomo import fomo_targets, train_fomo
    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    folder, _ = detection_set(root / "det", n_images=n_images)
    dataset = load_dataset(DatasetSpec(folder))
    x = make_windows(dataset, WindowSpec(1, 1)).x
    block = make_block("image", {"width": 48, "height": 48, "frame_format": "grayscale",
                                 "fit": "stretch"}).fit(x)
    features = block.transform(x)
    classes = list(dataset.classes)
    truth = [[(classes.index(o.label), *o.centroid) for o in r.objects or ()]
             for r in dataset.recordings]
    targets = fomo_targets(truth, (6, 6), 8)
    model = build_model("fomo", features.shape[1:], len(classes), width=1.0, dropout=0.0)
    train_fomo(model, features, targets, TrainParams(epochs=epochs, batch_size=16,
                                                     learning_rate=0.01))
    int8 = quantize_int8(model, features, n_samples=64)
    return block, int8, classes, x.astype(np.uint8), truth, features, targets, model
