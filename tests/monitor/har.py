"""UCI HAR (shared data) for the monitor tests: a small int8 cnn1d trained here on 5 of the 9
test-split subjects, the fitted raw block, a validation set (2 subjects) and 2 held-out
subjects. Trained once per test session (about 40 s), shared by the xdist workers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.config import MonitorSection
from microforge.dsp import make_block
from microforge.dsp.base import DspBlock
from microforge.dsp.registry import block_from_state
from microforge.monitor.build import int8_inputs, int8_scores, monitor_reference
from microforge.monitor.reference import MonitorReference
from microforge.runners.model_runners import TflmRunner

CHANNELS = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y",
            "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z"]
TRAIN, VAL, HELD_OUT = (2, 4, 9, 10, 12), (13, 18), (20, 24)


@dataclass
class Har:
    x: np.ndarray  # (n, 128, 9) float32 raw windows
    y: np.ndarray
    subject: np.ndarray
    block: DspBlock
    model: bytes
    runner: TflmRunner
    ref: MonitorReference

    def mask(self, subjects: tuple[int, ...]) -> np.ndarray:
        return np.isin(self.subject, subjects)

    def int8(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(int8 inputs, int8 scores) of raw windows, as the device computes them."""
        inputs = int8_inputs(self.block, windows, self.runner)
        return inputs, int8_scores(self.runner, inputs)


def load_windows(shared: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    root = shared / "datasets" / "uci_har_test"
    sig = root / "inertial_signals_test_csv"
    x = np.stack([np.loadtxt(sig / f"{c}_test.csv", delimiter=",", dtype=np.float32)
                  for c in CHANNELS], axis=-1)
    y = np.loadtxt(sig / "y_test.csv", dtype=np.int64).ravel() - 1
    subjects = np.loadtxt(root / "original_metadata" / "subject_test.txt", dtype=np.int64)
    return x, y, subjects


def har_from(shared: Path, block: DspBlock, model_bytes: bytes,
             section: MonitorSection | None = None) -> Har:
    """The Har of a fitted block and an int8 model (its reference fitted here)."""
    x, y, subject = load_windows(shared)
    train, val = np.isin(subject, TRAIN), np.isin(subject, VAL)
    ref = monitor_reference(block, model_bytes, section or MonitorSection(enabled=True),
                            x[train], x[val], y[val])
    return Har(x, y, subject, block, model_bytes, TflmRunner(model_bytes), ref)


def save_har(har: Har, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dsp.json").write_text(json.dumps(har.block.state_dict()))
    (folder / "model_int8.tflite").write_bytes(har.model)


def load_har(shared: Path, folder: Path) -> Har:
    block = block_from_state(json.loads((folder / "dsp.json").read_text()))
    return har_from(shared, block, (folder / "model_int8.tflite").read_bytes())


def train_har(shared: Path, section: MonitorSection | None = None, seed: int = 0) -> Har:
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    x, y, subject = load_windows(shared)
    train = np.isin(subject, TRAIN)
    block = make_block("raw", {"normalize": True}).fit(x[train], 50.0)
    feats = block.transform(x[train])
    model = build_model("cnn1d", feats.shape[1:], 6, width=0.5, dropout=0.1, seed=seed)
    train_model(model, feats, y[train], params=TrainParams(
        epochs=6, learning_rate=0.003, early_stopping_patience=0, lr_schedule="cosine",
        class_weights=False, seed=seed), progress=False)
    model_bytes = quantize_int8(model, feats, n_samples=200, seed=seed)
    return har_from(shared, block, model_bytes, section)
