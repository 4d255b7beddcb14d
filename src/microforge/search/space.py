"""The search space: every dimension declared as data (a config path, a kind, its values).

A dimension's `name` is the dotted path of the `microforge.toml` field it sets
(`windowing.window_ms`, `dsp.params.n_bands`, `model.width`, `training.learning_rate`), or one
of the derived names in DERIVED (`windowing.stride_fraction`, `quantization.variant`). `when`
makes a dimension conditional on the value another one took (`{"dsp.block": "spectral"}`).

The default spaces (per data type) are written relative to the project's own settings where a
value only makes sense for that dataset (the window length); the rest are fixed lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from microforge.errors import ConfigError

Kind = Literal["categorical", "int", "float"]
Value = str | int | float | bool

# config sections a dimension may set (the rest of the config is the project's, unchanged)
SEARCHABLE_SECTIONS = ("windowing", "dsp", "model", "training", "quantization")
# names that are not a config field: how each is turned into config values (candidate.py)
DERIVED = {
    "windowing.stride_fraction": "windowing.stride_ms = window_ms x this fraction",
    "quantization.variant": "ptq_int8 (post-training int8), qat (quantization-aware "
                            "fine-tuning, then int8; [quantization] variant) or ptq_16x8 "
                            "(int16 activations and I/O, int8 weights; deployed by run)",
}
QUANT_VARIANTS = ("ptq_int8", "qat", "ptq_16x8")
INT8_VARIANTS = ("ptq_int8", "qat")  # the per-op cost model (cost = "model") knows no 16x8
DATA_TYPES = ("imu", "audio")


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: Kind
    choices: tuple[Value, ...] = ()  # categorical
    low: float | None = None  # int / float
    high: float | None = None
    log: bool = False
    step: float | None = None
    when: dict[str, Value] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"search.space: {self.name}"
        section = self.name.split(".", 1)[0]
        if section not in SEARCHABLE_SECTIONS or "." not in self.name:
            raise ConfigError(f"{where}: not a searchable field; name a field of "
                              f"[{'], ['.join(SEARCHABLE_SECTIONS)}] as section.field")
        if self.kind == "categorical":
            if not self.choices:
                raise ConfigError(f"{where}: a categorical dimension needs choices")
            if len(set(map(repr, self.choices))) != len(self.choices):
                raise ConfigError(f"{where}: choices has duplicates")
        else:
            if self.low is None or self.high is None or not self.low < self.high:
                raise ConfigError(f"{where}: an {self.kind} dimension needs low < high")
            if self.log and self.low <= 0:
                raise ConfigError(f"{where}: a log dimension needs low > 0")
        if self.name == "quantization.variant":
            bad = [c for c in self.choices if c not in QUANT_VARIANTS]
            if self.kind != "categorical" or bad:
                raise ConfigError(f"{where}: choices must be among {', '.join(QUANT_VARIANTS)}")

    def applies(self, params: dict[str, Any]) -> bool:
        """Whether this dimension is sampled, given the values sampled before it."""
        return all(params.get(k) == v for k, v in self.when.items())

    def describe(self) -> str:
        if self.kind == "categorical":
            values = ", ".join(str(c) for c in self.choices)
        else:
            values = f"{self.low:g}..{self.high:g}" + (" (log)" if self.log else "")
        cond = "".join(f" if {k} = {v}" for k, v in self.when.items())
        return f"{self.name}: {values}{cond}"


def dimension_from_dict(data: dict[str, Any]) -> Dimension:
    """A Dimension from a [[search.space]] table (validated by config.SearchDimension)."""
    return Dimension(name=data["name"], kind=data["kind"],
                     choices=tuple(data.get("choices") or ()), low=data.get("low"),
                     high=data.get("high"), log=bool(data.get("log", False)),
                     step=data.get("step"), when=dict(data.get("when") or {}))


def imu_space(window_ms: float) -> list[Dimension]:
    """IMU / vibration: window (a fraction of the project's), stride, raw or spectral
    features (bands, FFT size, peaks), network width and depth, learning rate, quantization."""
    windows = tuple(sorted({round(window_ms * f, 2) for f in (0.5, 0.75, 1.0)}))
    spectral: dict[str, Value] = {"dsp.block": "spectral"}
    return [
        Dimension("windowing.window_ms", "categorical", windows),
        Dimension("windowing.stride_fraction", "categorical", (0.5, 1.0)),
        Dimension("dsp.block", "categorical", ("raw", "spectral")),
        Dimension("dsp.params.n_bands", "categorical", (4, 8, 16), when=spectral),
        Dimension("dsp.params.fft_length", "categorical", (64, 128, 256), when=spectral),
        Dimension("dsp.params.n_peaks", "categorical", (0, 3), when=spectral),
        Dimension("model.width", "categorical", (0.25, 0.5, 0.75, 1.0, 1.5)),
        Dimension("model.depth", "int", low=1, high=4),
        Dimension("training.learning_rate", "float", low=1e-3, high=1e-2, log=True),
        Dimension("quantization.variant", "categorical", QUANT_VARIANTS),
    ]


def audio_space(window_ms: float) -> list[Dimension]:
    """Audio (keywords, sounds): MFCC or MFE, coefficients, frame length and stride, FFT size,
    DS-CNN width and depth, learning rate, quantization."""
    return [
        Dimension("dsp.block", "categorical", ("mfcc", "mfe")),
        Dimension("dsp.params.n_mfcc", "categorical", (10, 13), when={"dsp.block": "mfcc"}),
        Dimension("dsp.params.n_mels", "categorical", (20, 32, 40)),
        Dimension("dsp.params.frame_length_ms", "categorical", (20.0, 30.0, 32.0)),
        Dimension("dsp.params.frame_step_ms", "categorical", (16.0, 20.0, 32.0)),
        Dimension("dsp.params.fft_length", "categorical", (512, 1024)),
        Dimension("model.width", "categorical", (0.25, 0.5, 0.75, 1.0)),
        Dimension("model.depth", "int", low=1, high=4),
        Dimension("training.learning_rate", "float", low=1e-3, high=1e-2, log=True),
        Dimension("quantization.variant", "categorical", QUANT_VARIANTS),
    ]


DEFAULT_SPACES = {"imu": imu_space, "audio": audio_space}
AUDIO_BLOCKS = ("mfcc", "mfe")
AUDIO_FORMATS = ("speech_commands", "wav")


def data_type_of(dsp_block: str, dataset_format: str) -> str:
    """`auto`: audio for an MFCC/MFE project or a WAV dataset, IMU/vibration otherwise."""
    if dsp_block == "image":
        raise ConfigError("search.data_type: there is no default space for images; declare "
                          "the dimensions in [[search.space]] tables")
    return "audio" if dsp_block in AUDIO_BLOCKS or dataset_format in AUDIO_FORMATS else "imu"


def default_space(data_type: str, window_ms: float,
                  cost_method: str = "emulator") -> list[Dimension]:
    """The default space of `data_type`; without the emulator (`cost_method` "model") the
    16x8 variant is left out (its cost cannot be measured)."""
    if data_type not in DEFAULT_SPACES:
        raise ConfigError(f"search.data_type: {data_type!r}; one of auto, "
                          f"{', '.join(DEFAULT_SPACES)}")
    space = DEFAULT_SPACES[data_type](window_ms)
    if cost_method == "emulator":
        return space
    return [Dimension(d.name, d.kind, INT8_VARIANTS) if d.name == "quantization.variant" else d
            for d in space]
