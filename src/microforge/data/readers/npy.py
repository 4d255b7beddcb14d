"""NumPy recordings: `<label>/*.npy`, each (n_samples, n_channels) or 1-D."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.data.readers.folders import Progress, label_folders, report
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError


def read_npy_folder(spec: DatasetSpec, progress: Progress | None = None) -> list[Recording]:
    """Every `<path>/<label>/*.npy` as one recording; needs dataset.sample_rate."""
    files = label_folders(spec.path, ".npy")
    if spec.sample_rate is None:
        raise DataError(f"{spec.path}: .npy files carry no sample rate; set dataset.sample_rate")
    recordings = []
    for i, item in enumerate(files):
        array = load_npy(item.path)
        names = tuple(f"ch{c}" for c in range(array.shape[1]))
        recordings.append(
            Recording(array, float(spec.sample_rate), item.label,
                      item.group or item.path.stem, str(item.path), names)
        )
        report(progress, i + 1, len(files))
    return recordings


def load_npy(path: Path) -> np.ndarray:
    """float32 (n_samples, n_channels) of a numeric .npy file; DataError otherwise."""
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npy array ({exc}); save it again with "
                        "numpy.save or remove it") from None
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] == 0 or not np.issubdtype(array.dtype, np.number):
        raise DataError(
            f"{path}: array of shape {array.shape} and dtype {array.dtype}; "
            "save a numeric (n_samples, n_channels) or 1-D array"
        )
    if not np.isfinite(array).all():
        raise DataError(f"{path}: NaN or infinite values; fill or drop them")
    return array.astype(np.float32)
