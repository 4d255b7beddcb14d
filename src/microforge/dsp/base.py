"""The DSP block interface: sklearn-style fit on training windows, transform any windows."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from microforge.dsp.params import params_to_dict, parse_params
from microforge.dsp.standardize import Standardizer
from microforge.errors import DataError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from microforge.dsp.c_emit import DspC

STATE_VERSION = 1
CHUNK_WINDOWS = 256  # transform this many windows at a time to bound memory


class DspBlock(ABC):
    """One feature extractor. `fit` learns on TRAIN windows only; `transform` reuses that state.

    Windows are float32 arrays (n_windows, win_len, n_channels); features are float32
    (n_windows, *feature_shape).
    """

    name: ClassVar[str]
    params_class: ClassVar[type[DataclassInstance]]
    # False for blocks whose windows are whole frames (images): [windowing] does not apply
    windowed: ClassVar[bool] = True

    def __init__(self, params: Any = None) -> None:
        self.params = params if params is not None else self.params_class()
        self.sample_rate: float | None = None
        self.win_len: int | None = None
        self.n_channels: int | None = None
        # Per-feature (x - mean) / std learned by fit when params.normalize is true.
        self.standardizer: Standardizer | None = None

    # -- the interface -------------------------------------------------------------------
    def fit(self, x: np.ndarray, sample_rate: float) -> DspBlock:
        """Record the window geometry, check params against it, learn statistics on `x`."""
        x = check_windows(x, self.name)
        if not (np.isfinite(sample_rate) and sample_rate > 0):
            raise DataError(f"{self.name} block: sample rate must be > 0 Hz (got {sample_rate})")
        self.sample_rate = float(sample_rate)
        self.win_len, self.n_channels = int(x.shape[1]), int(x.shape[2])
        self._check_geometry()
        self._fit_statistics(x)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Features of every window in `x`, float32 (n_windows, *feature_shape)."""
        _, win_len, n_channels = self.fitted_geometry()
        x = check_windows(x, self.name)
        if x.shape[1:] != (win_len, n_channels):
            raise DataError(
                f"{self.name} block: windows are {x.shape[1]}x{x.shape[2]} (samples x channels) "
                f"but the block was fitted on {win_len}x{n_channels}"
            )
        shape = self.feature_shape(win_len, n_channels)
        out = np.empty((x.shape[0], *shape), dtype=np.float32)
        for start in range(0, x.shape[0], CHUNK_WINDOWS):
            chunk = x[start : start + CHUNK_WINDOWS]
            out[start : start + len(chunk)] = self._features(chunk)
        return out

    def fit_transform(self, x: np.ndarray, sample_rate: float) -> np.ndarray:
        return self.fit(x, sample_rate).transform(x)

    @abstractmethod
    def feature_shape(
        self, win_len: int, n_channels: int, sample_rate: float | None = None
    ) -> tuple[int, ...]:
        """Shape of one window's features (sample_rate defaults to the fitted one)."""

    def tables(self) -> dict[str, np.ndarray]:
        """The constants of the fitted block, as the C emitter will export them."""
        self._require_fitted()
        if self.standardizer is None:
            return {}
        return {"feature_mean": self.standardizer.mean, "feature_std": self.standardizer.std}

    def emit_c(self, prefix: str, *, fixed_point: bool = False) -> DspC:
        """This fitted block as C (microforge.dsp.c_emit.DspC)."""
        from microforge.dsp.c_emit import emit_block

        return emit_block(self, prefix, fixed_point)

    # -- saving --------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """JSON-safe params and fitted state (what the model is saved with)."""
        return {
            "block": self.name,
            "version": STATE_VERSION,
            "params": params_to_dict(self.params),
            "fitted": None if self.sample_rate is None else {
                "sample_rate": self.sample_rate,
                "win_len": self.win_len,
                "n_channels": self.n_channels,
                **self._fitted_state(),
            },
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> DspBlock:
        """The block `state_dict()` described, fitted state included."""
        block = cls(parse_params(cls.params_class, state.get("params"), cls.name))
        fitted = state.get("fitted")
        if fitted:
            block.sample_rate = float(fitted["sample_rate"])
            block.win_len, block.n_channels = int(fitted["win_len"]), int(fitted["n_channels"])
            block._check_geometry()
            block._load_fitted_state(fitted)
        return block

    # -- for subclasses --------------------------------------------------------------------
    @abstractmethod
    def _unnormalized(self, x: np.ndarray) -> np.ndarray:
        """Features of a chunk of checked windows before standardisation (any float dtype)."""

    def _features(self, x: np.ndarray) -> np.ndarray:
        y = self._unnormalized(x)
        return self.standardizer.apply(y) if self.standardizer is not None else y

    def _check_geometry(self) -> None:
        """Raise ConfigError when params do not fit the window length / sample rate; called by
        fit and from_state once sample_rate, win_len and n_channels are set."""
        return None

    def _fit_statistics(self, x: np.ndarray) -> None:
        """Learn the standardisation of the features on training windows when asked to."""
        self.standardizer = None
        if getattr(self.params, "normalize", False):
            self.standardizer = Standardizer.fit(self.transform(x))

    def _fitted_state(self) -> dict[str, Any]:
        return {"standardizer": self.standardizer.to_dict() if self.standardizer else None}

    def _load_fitted_state(self, fitted: dict[str, Any]) -> None:
        d = fitted.get("standardizer")
        self.standardizer = Standardizer.from_dict(d) if d else None

    def fitted_geometry(self) -> tuple[float, int, int]:
        """(sample_rate, win_len, n_channels) of the fitted block; RuntimeError before fit."""
        if self.sample_rate is None or self.win_len is None or self.n_channels is None:
            raise RuntimeError(f"{self.name} block is not fitted: call fit(x, sample_rate) first")
        return self.sample_rate, self.win_len, self.n_channels

    def _require_fitted(self) -> None:
        self.fitted_geometry()

    def _rate(self, sample_rate: float | None) -> float:
        if sample_rate is not None:
            return float(sample_rate)
        return float(self.fitted_geometry()[0])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params!r})"


def check_windows(x: np.ndarray, block: str) -> np.ndarray:
    """`x` as float32 (n_windows, win_len, n_channels), or DataError saying what is wrong."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise DataError(
            f"{block} block: windows must be (n_windows, samples, channels), got shape {x.shape}"
        )
    if x.shape[1] == 0 or x.shape[2] == 0:
        raise DataError(f"{block} block: windows are empty (shape {x.shape})")
    if not np.issubdtype(x.dtype, np.number):
        raise DataError(f"{block} block: windows must be numbers, got dtype {x.dtype}")
    x = x.astype(np.float32, copy=False)
    if not np.all(np.isfinite(x)):
        raise DataError(f"{block} block: windows contain NaN or infinite samples; clean the data")
    return x
