"""MATLAB recordings: `<label>/*.mat`, variables picked by a name pattern become channels."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import scipy.io

from microforge.data.readers.folders import Progress, label_folders, report
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError


def read_mat_folder(spec: DatasetSpec, progress: Progress | None = None) -> list[Recording]:
    """Every `<path>/<label>/*.mat` as one recording; group = file stem."""
    files = label_folders(spec.path, ".mat")
    recordings = []
    for i, item in enumerate(files):
        recordings.append(mat_recording(item.path, item.label, spec, item.group))
        report(progress, i + 1, len(files))
    return recordings


def mat_recording(path: Path, label: str, spec: DatasetSpec, group: str | None) -> Recording:
    """One .mat file as a recording; group: `group`, else the file stem."""
    variables = load_mat(path)
    rate = spec.sample_rate
    if spec.mat.rate_variable is not None:
        rate = _scalar(path, variables, spec.mat.rate_variable)
    if rate is None:
        raise DataError(
            f"{path}: unknown sample rate; set dataset.sample_rate or mat.rate_variable"
        )
    signal, names = mat_channels(path, variables, spec.mat.variable_pattern)
    return Recording(signal, float(rate), label, group or path.stem, str(path), names)


def load_mat(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a MATLAB v4-v7.2 file (no `__header__` entries)."""
    try:
        raw = scipy.io.loadmat(str(path))
    except NotImplementedError:
        raise DataError(f"{path}: MATLAB v7.3 (HDF5) file; save it with `save -v7`") from None
    except (ValueError, OSError, TypeError) as exc:
        raise DataError(f"{path}: not a readable .mat file ({exc}); save it again with "
                        "`save -v7` or remove it") from None
    return {k: v for k, v in raw.items() if not k.startswith("__")}


def mat_channels(
    path: Path, variables: dict[str, np.ndarray], pattern: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Numeric vectors/matrices whose names match `pattern`, stacked as channels."""
    regex = re.compile(pattern)
    columns: list[np.ndarray] = []
    names: list[str] = []
    for name in sorted(variables):
        value = variables[name]
        if not regex.search(name) or not isinstance(value, np.ndarray):
            continue
        if not np.issubdtype(value.dtype, np.number) or value.size < 2 or value.ndim > 2:
            continue
        matrix = value.reshape(-1, 1) if 1 in value.shape else value
        if matrix.shape[0] < matrix.shape[1]:
            matrix = matrix.T  # MATLAB users often store channels as rows
        for c in range(matrix.shape[1]):
            columns.append(matrix[:, c])
            names.append(name if matrix.shape[1] == 1 else f"{name}[{c}]")
    if not columns:
        raise DataError(
            f"{path}: no numeric variable matches {pattern!r}; variables are "
            f"{', '.join(sorted(variables)) or 'none'}"
        )
    lengths = {len(c) for c in columns}
    if len(lengths) > 1:
        raise DataError(
            f"{path}: variables {', '.join(names)} differ in length {sorted(lengths)}; "
            "narrow the variable pattern to signals of one length"
        )
    signal = np.stack(columns, axis=1).astype(np.float32)
    if not np.isfinite(signal).all():
        raise DataError(f"{path}: NaN or infinite values; fill or drop them")
    return signal, tuple(names)


def _scalar(path: Path, variables: dict[str, np.ndarray], name: str) -> float:
    value = variables.get(name)
    if value is None or np.size(value) != 1:
        raise DataError(f"{path}: no scalar variable {name!r} for the sample rate")
    return float(np.asarray(value).ravel()[0])
