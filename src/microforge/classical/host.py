"""A compiled classical model on the host: gcc builds the generated C as a shared library,
ctypes calls `mf_<name>_predict` / `mf_<name>_scores` per row."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path
from typing import Any

import numpy as np

from microforge.classical.compile import compile_estimator
from microforge.classical.emit import EmittedClassical
from microforge.errors import DataError
from microforge.runners.host import gcc_compile


def check_features(x: np.ndarray, n_features: int, where: str = "features") -> np.ndarray:
    """float32 rows of n_features, finite; otherwise a one-line DataError."""
    arr = np.asarray(x, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != n_features:
        raise DataError(f"{where}: expected rows of {n_features} features, got shape "
                        f"{np.asarray(x).shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(f"{where}: row {row} feature {col} is {arr[row, col]}; NaN and "
                        f"infinite features cannot be classified, clean or impute them first")
    return np.ascontiguousarray(arr)


def check_int16_features(x: np.ndarray, n_features: int, where: str = "features") -> np.ndarray:
    """int16 rows of n_features: every value an integer in [-32768, 32767], else a DataError."""
    rows = check_features(x, n_features, where)
    bad = (rows != np.rint(rows)) | (rows < -32768) | (rows > 32767)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(f"{where}: row {row} feature {col} is {rows[row, col]}, not an int16; "
                        "this model was compiled with features='int16' (integer features)")
    return np.ascontiguousarray(rows.astype(np.int16))


def feature_rows(x: np.ndarray, n_features: int, feature_type: str,
                 where: str = "features") -> np.ndarray:
    """The rows as the C takes them: float32, or int16 (feature_type "int16_t")."""
    if feature_type == "int16_t":
        return check_int16_features(x, n_features, where)
    return check_features(x, n_features, where)


class CompiledEstimator:
    """predict(X) -> class labels, as estimator.predict; scores(X) -> the raw scores."""

    def __init__(self, emitted: EmittedClassical, classes: np.ndarray,
                 extra_flags: list[str] | None = None) -> None:
        self.emitted = emitted
        self.classes_ = classes
        lib_path = emitted.out_dir / f"lib{emitted.name}.so"
        gcc_compile(emitted.out_dir, lib_path, ["-O2", "-shared", "-fPIC", *(extra_flags or [])])
        self._lib = ctypes.CDLL(str(lib_path))
        fp = self._xp = ctypes.POINTER(ctypes.c_int16 if emitted.feature_type == "int16_t"
                                       else ctypes.c_float)
        self._predict = getattr(self._lib, f"mf_{emitted.name}_predict")
        self._predict.argtypes = [fp]
        self._predict.restype = ctypes.c_int
        self._scores = getattr(self._lib, f"mf_{emitted.name}_scores")
        self._scores.argtypes = [fp, ctypes.POINTER(ctypes.c_double)]
        self._scores.restype = None

    @property
    def out_dir(self) -> Path:
        return self.emitted.out_dir

    def rows(self, x: np.ndarray) -> np.ndarray:
        return feature_rows(x, self.emitted.n_features, self.emitted.feature_type)

    def predict_index(self, x: np.ndarray) -> np.ndarray:
        return np.array([self._predict(r.ctypes.data_as(self._xp)) for r in self.rows(x)],
                        np.int64)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.classes_[self.predict_index(x)]

    def scores(self, x: np.ndarray) -> np.ndarray:
        rows = self.rows(x)
        out = np.zeros((len(rows), self.emitted.n_scores), np.float64)
        dp = ctypes.POINTER(ctypes.c_double)
        for r, o in zip(rows, out, strict=True):
            self._scores(r.ctypes.data_as(self._xp), o.ctypes.data_as(dp))
        return out


def compile_and_load_estimator(estimator: Any, out_dir: str | os.PathLike[str] | None = None,
                               name: str = "model", layout: str = "tables",
                               features: str = "float") -> CompiledEstimator:
    emitted = compile_estimator(estimator, out_dir, name, layout, features)
    return CompiledEstimator(emitted, np.asarray(estimator.classes_))
