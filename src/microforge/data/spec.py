"""What to load and how: the parameters of `load_dataset`, built from microforge.toml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


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
class EventOptions:
    """Long recordings with a sidecar annotation CSV (`events`) or WFDB beat annotations.

    Point events (no `end`) give one window of `window_ms` with the event `event_offset_ms`
    after the window's start (None: centred); intervals (`end` given) become segments that
    the windowing cuts with its stride. `background_label`: the unannotated gaps (at least one
    window long, clear of every event window) become recordings of that class.
    """

    window_ms: float | None = None  # None: the config's windowing.window_ms
    event_offset_ms: float | None = None  # where the event sits in its window; None: centre
    annotation_suffix: str = ".annotations.csv"  # `rec01.csv` -> `rec01.annotations.csv`
    background_label: str | None = None


@dataclass
class WfdbOptions:
    """PhysioNet WFDB records (`<name>.hea` + signal files + `<name>.<annotation>`)."""

    annotation: str = "atr"  # annotation file extension (MIT-BIH: atr)


@dataclass
class DatasetSpec:
    """Where the data is, its format, and how to reconcile sample rates and channels."""

    path: Path | str
    format: str = "auto"  # auto, or a name in microforge.data.load.DATASET_FORMATS
    sample_rate: float | None = None  # None: from the files
    channels: Sequence[str | int] | None = None  # names or 0-based indices; None: all
    on_rate_mismatch: Literal["resample", "error"] = "error"
    csv: CsvOptions = field(default_factory=CsvOptions)
    mat: MatOptions = field(default_factory=MatOptions)
    speech_commands: SpeechCommandsOptions = field(default_factory=SpeechCommandsOptions)
    cwru: CwruOptions = field(default_factory=CwruOptions)
    events: EventOptions = field(default_factory=EventOptions)
    wfdb: WfdbOptions = field(default_factory=WfdbOptions)
    # class -> raw labels it takes (`{"N": ["N", "L", "R"], ...}`) or a preset name ("aami");
    # labels listed nowhere are dropped (and counted in Dataset.notes). None: labels as read.
    label_map: dict[str, list[str]] | str | None = None

    def __post_init__(self) -> None:
        self.path = Path(self.path)
