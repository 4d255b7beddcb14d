"""Representative inputs for quantization and the agreement gate, in the ONNX model's layout:
an array, a .npy / .npz file, or a microforge project (its final fold's DSP features)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.errors import DataError

CalibrationSource = np.ndarray | str | os.PathLike[str]


@dataclass(frozen=True)
class Calibration:
    x: np.ndarray  # (N, *input_shape[1:]) float32, ONNX layout
    held_out: np.ndarray | None  # samples kept out of calibration (a project's test windows)
    source: str


def load_calibration(source: CalibrationSource, input_shape: tuple[int, ...]) -> Calibration:
    """The samples of `source`, checked against the model's input shape (batch first)."""
    held_out = None
    if isinstance(source, np.ndarray):
        label, x = "calibration array", source
    else:
        path = Path(source)
        label = str(path)
        if path.is_dir() or path.suffix == ".toml":
            x, held_out = _project_features(path)
        elif not path.exists():
            raise DataError(f"{path}: no such calibration file")
        elif path.suffix == ".npy":
            x = _load(path, lambda p: np.load(p, allow_pickle=False))
        elif path.suffix == ".npz":
            x = _load(path, _first_array)
        else:
            raise DataError(f"{path}: calibration must be a .npy or .npz of inputs, or a "
                            f"microforge project")
    x = _shaped(np.asarray(x), input_shape, label)
    if held_out is not None:
        held_out = _shaped(held_out, input_shape, f"{label} (test windows)")
    return Calibration(x, held_out, label)


def _load(path: Path, read) -> np.ndarray:
    try:
        return np.asarray(read(path))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read calibration samples ({exc})") from exc


def _first_array(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as archive:
        if not archive.files:
            raise DataError(f"{path}: the .npz holds no array")
        return np.asarray(archive["x" if "x" in archive.files else archive.files[0]])


def _shaped(x: np.ndarray, input_shape: tuple[int, ...], label: str) -> np.ndarray:
    sample = tuple(input_shape[1:])
    if x.dtype.kind not in "fiu":
        raise DataError(f"{label}: calibration samples must be numbers, not {x.dtype}")
    if tuple(x.shape[1:]) != sample:
        raise DataError(f"{label}: calibration samples of shape {list(x.shape)} do not fit "
                        f"the model input {list(input_shape)}; give an array of shape "
                        f"[N, {', '.join(map(str, sample))}]")
    if len(x) == 0:
        raise DataError(f"{label}: no calibration samples")
    x = x.astype(np.float32)
    if not np.all(np.isfinite(x)):
        raise DataError(f"{label}: calibration samples contain NaN or infinity")
    return x


def _project_features(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    """The DSP features of a project's final fold: train windows and test windows."""
    from microforge.dsp import make_block
    from microforge.workspace.data import ProjectData
    from microforge.workspace.trained import project_config_path

    config = project_config_path(path)
    if config is None:
        raise DataError(f"{path}: no microforge.toml here to take calibration windows from")
    project = ProjectData.from_toml(config)
    dataset, windows = project.load()
    fold = project.final_fold()
    block = make_block(project.config.dsp.block, project.config.dsp.params)
    block.fit(windows.x[fold.mask("train")], dataset.sample_rate)
    train = block.transform(windows.x[fold.mask("train")]).astype(np.float32)
    test_mask = fold.mask("test")
    test = (block.transform(windows.x[test_mask]).astype(np.float32)
            if test_mask.any() else None)
    return train, test
