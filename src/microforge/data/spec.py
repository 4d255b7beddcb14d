"""What to load and how: the parameters of `load_dataset`, built from microforge.toml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

FORMATS = ("auto", "csv", "wav", "npy", "mat", "uci_har", "speech_commands", "cwru")


@dataclass
class CsvOptions:
    """Folder-per-label CSV files, one column per axis."""

    timestamp_column: str | None = None  # name (or 0-based index) of a time column
    timestamp_unit: Literal["auto", "s", "ms", "us"] = "auto"  # auto: integer stamps are ms
    has_header: bool | None = None  # None: detected from the first row
    max_jitter: float = 0.1  # largest allowed |diff - median| / median of the time stamps


@dataclass
class MatOptions:
    """Folder-per-label .mat files: which variables become channels."""

    variable_pattern: str = ".*"  # regex matched (re.search) against variable names
    rate_variable: str | None = None  # a scalar variable holding the sample rate


@dataclass
class SpeechCommandsOptions:
    """Google Speech Commands layout: one folder per word plus `_background_noise_`."""

    keywords: list[str] | None = None  # None: every word is its own class
    unknown_label: str = "_unknown_"
    silence: bool = True
    silence_clips: int = 30
    silence_label: str = "_silence_"
    background_folder: str = "_background_noise_"
    clip_seconds: float = 1.0


@dataclass
class CwruOptions:
    """CWRU bearing .mat files: one long recording per class, cut into segments."""

    sensor: Literal["DE", "FE", "BA"] = "DE"
    segments_per_file: int = 10
    sample_rate: float = 12_000.0  # the fault files (12k drive-end set)
    normal_sample_rate: float = 48_000.0  # CWRU's normal baseline was recorded at 48 kHz


@dataclass
class DatasetSpec:
    """Where the data is, its format, and how to reconcile sample rates and channels."""

    path: Path | str
    format: str = "auto"  # one of FORMATS
    sample_rate: float | None = None  # None: from the files
    channels: Sequence[str | int] | None = None  # names or 0-based indices; None: all
    on_rate_mismatch: Literal["resample", "error"] = "error"
    csv: CsvOptions = field(default_factory=CsvOptions)
    mat: MatOptions = field(default_factory=MatOptions)
    speech_commands: SpeechCommandsOptions = field(default_factory=SpeechCommandsOptions)
    cwru: CwruOptions = field(default_factory=CwruOptions)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
