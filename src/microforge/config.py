"""microforge.toml -> a validated `ProjectConfig`.

Every section is a pydantic model with `extra="forbid"`, so a misspelt or unknown field is an
error, and every error names the field: `microforge.toml: windowing.window_ms: ...`.
Relative paths are resolved against the folder holding the config file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    model_validator,
)

from microforge.classical.params import DETECTOR_NAMES, AnomalyParams, ClassicalParams
from microforge.data.load import check_format
from microforge.dsp.registry import BLOCKS
from microforge.errors import ConfigError
from microforge.schema import Section as _Section
from microforge.schema import config_section
from microforge.train.augment import AugmentParams
from microforge.train.fit import TrainParams
from microforge.train.zoo import ARCHITECTURES, DETECTORS


class ProjectSection(_Section):
    name: str = Field("project", pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$")
    output_dir: str | None = None  # default build/<name>, relative to the config file


class SpeechCommandsSection(_Section):
    keywords: list[str] | None = None  # None: every word is its own class
    silence: bool = True
    silence_clips: int = Field(30, ge=0)


class CwruSection(_Section):
    sensor: Literal["DE", "FE", "BA"] = "DE"
    segments_per_file: int = Field(10, ge=2)


class EventsSection(_Section):
    window_ms: float | None = Field(None, gt=0)  # None: windowing.window_ms
    event_offset_ms: float | None = Field(None, ge=0)  # event position in its window; None: centre
    annotation_suffix: str = Field(".annotations.csv", min_length=1)
    background_label: str | None = None  # the gaps between events become this class


class WfdbSection(_Section):
    annotation: str = Field("atr", pattern=r"^[A-Za-z0-9_]+$")


class DatasetSection(_Section):
    path: str
    format: Annotated[str, AfterValidator(check_format)] = "auto"  # auto or a registered format
    sample_rate: float | None = Field(None, gt=0)
    channels: list[str] | None = None
    timestamp_column: str | None = None
    on_rate_mismatch: Literal["resample", "error"] = "error"
    speech_commands: SpeechCommandsSection = SpeechCommandsSection()
    cwru: CwruSection = CwruSection()
    events: EventsSection = EventsSection()
    wfdb: WfdbSection = WfdbSection()
    # class = [raw labels] (others are dropped), or a preset name: "aami"
    label_map: dict[str, list[str]] | Literal["aami"] | None = None


class WindowingSection(_Section):
    window_ms: float = Field(1000.0, gt=0)
    stride_ms: float = Field(500.0, gt=0)
    padding: Literal["zero", "edge", "drop"] = "zero"


class SplitSection(_Section):
    seed: int = 0
    test_fraction: float = Field(0.2, gt=0, lt=1)
    val_fraction: float = Field(0.15, ge=0, lt=1)
    # Cross-validation by group: either k folds drawn by seed, or explicit held-out group lists.
    folds: int = Field(0, ge=0)
    fold_groups: list[list[str]] | None = None
    # Explicit groups (instead of fractions): the single split's test set; validation groups
    # (every fold's, in cross-validation).
    test_groups: list[str] | None = None
    val_groups: list[str] | None = None
    # A warning when a class has fewer training windows than this in a fold.
    min_class_windows: int = Field(5, ge=0)

    @model_validator(mode="after")
    def _check(self) -> SplitSection:
        if self.test_fraction + self.val_fraction >= 1:
            raise ValueError("test_fraction + val_fraction must be below 1")
        if self.folds == 1:
            raise ValueError("folds must be 0 (no cross-validation) or at least 2")
        if self.test_groups is not None and (self.folds or self.fold_groups):
            raise ValueError("test_groups is for a single split; with cross-validation "
                             "(folds / fold_groups) every fold holds its own groups out")
        if self.test_groups is not None and not self.test_groups:
            raise ValueError("test_groups is empty; name at least one group or remove it")
        overlap = set(self.test_groups or ()) & set(self.val_groups or ())
        if overlap:
            raise ValueError(f"groups in both test_groups and val_groups: "
                             f"{', '.join(sorted(overlap))}")
        return self


class DspSection(_Section):
    block: Annotated[str, AfterValidator(BLOCKS.check)] = "raw"  # a registered DSP block
    params: dict[str, Any] = Field(default_factory=dict)  # checked by the block itself


def check_architecture(name: str) -> str:
    """A Keras zoo architecture (train.zoo) or a classical kind (classical.kinds)."""
    if name in ARCHITECTURES:
        return name
    try:
        from microforge.classical.kinds import KINDS

        if name in KINDS:
            return name
        classical = KINDS.names()
    except ImportError:  # scikit-learn is the `classical` extra
        classical = []
    raise ValueError(f"unknown architecture {name!r}; choose one of "
                     + ", ".join([*ARCHITECTURES.names(), *classical])
                     + ("" if classical else " (classical models: pip install "
                        "'microforge[classical]')"))


def is_classical(name: str) -> bool:
    return name not in ARCHITECTURES


class ClassicalSection(config_section(ClassicalParams)):  # type: ignore[misc]
    """[model.classical]: the parameters of a classical architecture (classical/params.py)."""


class ModelSection(_Section):
    architecture: Annotated[str, AfterValidator(check_architecture)] = "cnn1d"
    width: float = Field(1.0, gt=0, le=8)
    # hidden blocks of dense / cnn1d / dscnn (train.zoo.DEPTHS); None: the architecture's own
    depth: int | None = Field(None, ge=1, le=8)
    dropout: float = Field(0.1, ge=0, lt=1)
    # A model trained elsewhere: an int8 .tflite (relative to microforge.toml) taking this
    # project's DSP features; no training, the rest of the pipeline as usual.
    tflite: str | None = None
    classical: ClassicalSection = ClassicalSection()

    @property
    def is_classical(self) -> bool:
        """A scikit-learn model (decision_tree ... gaussian_nb), not a Keras one."""
        return is_classical(self.architecture)

    @property
    def is_detector(self) -> bool:
        """An object detector (fomo): a heatmap of cells, centroids instead of a label."""
        return self.architecture in DETECTORS


class AnomalySection(config_section(AnomalyParams)):  # type: ignore[misc]
    """[anomaly]: train a detector on the windows of `normal_labels` only (classical/params.py)."""

    detector: Annotated[str, AfterValidator(DETECTOR_NAMES.check)] = "kmeans"
    normal_labels: list[str] = Field(min_length=1)


# [training] and [training.augmentation]: fields, defaults and ranges from the parameter
# dataclasses of microforge.train (one schema per parameter set)
class AugmentationSection(config_section(AugmentParams)):  # type: ignore[misc]
    """Window augmentation (train/augment.py), used when training.augment is true."""


class TrainingSection(config_section(TrainParams)):  # type: ignore[misc]
    augment: bool = False
    augmentation: AugmentationSection = AugmentationSection()


class QuantizationSection(_Section):
    mode: Literal["int8"] = "int8"
    # how the deployed model is made: post-training int8 quantization of the trained model,
    # quantization-aware fine-tuning ([optimize] finetune_epochs) then the same quantization,
    # or post-training 16x8 (int16 activations and I/O, int8 weights; the C pipeline's feature
    # and score buffers are int16 then)
    variant: Literal["ptq_int8", "qat", "ptq_16x8"] = "ptq_int8"
    representative_samples: int = Field(200, ge=1)


def _known_board(board: str) -> str:
    """Checked when the config is read, before any stage runs (not after training)."""
    from microforge.targets.boards import board_registry

    return board_registry().check(board)


KnownBoard = Annotated[str, AfterValidator(_known_board)]


class TargetSection(_Section):
    board: KnownBoard = "nucleo_l4r5zi"
    # Boards to check the fit against in the report (the chosen board is always included).
    compare: list[KnownBoard] = Field(
        default_factory=lambda: ["arduino_nano_33_ble_sense", "raspberry_pi_pico", "esp32"]
    )


class PostprocessSection(_Section):
    """What turns per-window model scores into decisions (the same in Python and in C)."""

    mode: Literal["argmax", "detector"] = "argmax"
    average_windows: int = Field(1, ge=1, le=64)  # posterior averaging over the last k windows
    threshold: float = Field(0.0, ge=0, le=1)  # detector: minimum averaged score to report
    suppression_ms: float = Field(0.0, ge=0)  # detector: quiet time after a detection
    ignore_labels: list[str] = Field(default_factory=lambda: ["_silence_", "_unknown_"])


OptimizeTechnique = Literal["float32", "ptq_int8", "ptq_16x8", "dynamic_range", "qat",
                            "magnitude_prune", "structured_prune", "distill"]


class OptimizeSection(_Section):
    """`microforge optimize`: which variants to build and compare."""

    techniques: list[OptimizeTechnique] = Field(
        default_factory=lambda: list(get_args(OptimizeTechnique)))
    representative_samples: int = Field(200, ge=1)
    representative_selection: Literal["random", "stratified", "first"] = "stratified"
    finetune_epochs: int = Field(10, ge=1, le=10_000)  # QAT and pruning fine-tuning
    prune_sparsity: float = Field(0.5, gt=0, lt=1)  # magnitude pruning: final weight sparsity
    prune_channels: float = Field(0.5, gt=0, lt=1)  # structured: fraction of channels removed
    teacher_width: float = Field(4.0, gt=0, le=16)  # distillation teacher: model.width x this
    temperature: float = Field(4.0, gt=0)
    alpha: float = Field(0.5, ge=0, le=1)  # weight of the soft-target loss
    latency_budget_ms: float = Field(100.0, gt=0)  # for the recommended variant per board


class DetectionSection(_Section):
    """[detection]: an object detector's (model.architecture = "fomo") decisions and metric."""

    threshold: float = Field(0.5, gt=0, le=1)  # a cell is an object from this score on
    # a predicted centroid matches a true one of its class within this distance (input pixels)
    match_distance: float = Field(8.0, gt=0)


class MonitorSection(_Section):
    """On-device monitoring (docs/monitoring.md): summaries per report period, telemetry."""

    enabled: bool = False
    period_windows: int = Field(32, ge=1, le=4096)  # windows per report period (record)
    feature_bins: int = Field(6, ge=2, le=16)  # per-feature histogram bins (training quantiles)
    max_features: int = Field(12, ge=1, le=64)  # monitored feature groups (most varying first)
    # top-1 confidence and top-1/top-2 margin bin edges, as probabilities (ascending, in (0, 1])
    confidence_edges: list[float] = Field(default_factory=lambda: [0.5, 0.7, 0.85, 0.95, 0.99])
    margin_edges: list[float] = Field(default_factory=lambda: [0.1, 0.3, 0.5, 0.7, 0.9])
    model_version: int = Field(1, ge=0, le=65535)  # sent in every record


SearchObjective = Literal["accuracy", "instructions", "ram", "flash"]
SpaceValue = str | int | float | bool
DEFAULT_OBJECTIVES: tuple[SearchObjective, ...] = ("accuracy",)


class SearchDimension(_Section):
    """One [[search.space]] table: a field of the config and the values to try
    (microforge.search.space.Dimension checks the name and the values)."""

    name: str = Field(min_length=3)
    kind: Literal["categorical", "int", "float"] = "categorical"
    choices: list[SpaceValue] | None = None
    low: float | None = None
    high: float | None = None
    log: bool = False
    step: float | None = Field(None, gt=0)
    when: dict[str, SpaceValue] | None = None


class SearchSection(_Section):
    """`microforge search`: constraint-aware model search (docs/search.md)."""

    trials: int = Field(20, ge=1, le=10_000)
    workers: int = Field(1, ge=1, le=64)  # trials trained at once, each in its own process
    seed: int = 0
    max_epochs: int | None = Field(None, ge=1, le=10_000)  # caps [training] epochs per trial
    # the first is always accuracy (maximised); a second one (minimised) makes it a
    # multi-objective search (NSGA-II) with a Pareto front
    objectives: list[SearchObjective] = Field(default_factory=lambda: list(DEFAULT_OBJECTIVES),
                                              min_length=1, max_length=3)
    latency_ms: float | None = Field(None, gt=0)  # per inference at the board's clock
    board: KnownBoard | None = None  # None: [target] board (or --board)
    data_type: Literal["auto", "imu", "audio"] = "auto"  # which default space
    # how a candidate's instructions are obtained: measured on the emulated core, or the
    # per-op cost model (search/cost_model.py); auto: measured when the toolchain is there
    cost: Literal["auto", "emulator", "model"] = "auto"
    # the validation split accuracy is measured on, when [split] has none (val_fraction = 0)
    val_fraction: float = Field(0.2, gt=0, lt=1)
    space: list[SearchDimension] | None = None  # None: the default space of data_type
    # pruning on validation loss: Optuna's MedianPruner told each epoch's validation loss;
    # it compares from `pruner_startup_trials` trained trials on, from epoch
    # `pruner_warmup_epochs` + 1 on (Optuna's defaults); off with a second objective
    pruner: Literal["median", "none"] = "median"
    pruner_startup_trials: int = Field(5, ge=0, le=10_000)
    pruner_warmup_epochs: int = Field(0, ge=0, le=10_000)
    # wall-clock seconds per trial (its own process, killed at the limit); None: no limit
    trial_timeout: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> SearchSection:
        if self.objectives[0] != "accuracy":
            raise ValueError("objectives: the first objective must be \"accuracy\"")
        if len(set(self.objectives)) != len(self.objectives):
            raise ValueError("objectives: has duplicates")
        return self


class ProjectConfig(_Section):
    project: ProjectSection = ProjectSection()
    dataset: DatasetSection
    windowing: WindowingSection = WindowingSection()
    split: SplitSection = SplitSection()
    dsp: DspSection = DspSection()
    model: ModelSection = ModelSection()
    training: TrainingSection = TrainingSection()
    quantization: QuantizationSection = QuantizationSection()
    target: TargetSection = TargetSection()
    postprocess: PostprocessSection = PostprocessSection()
    optimize: OptimizeSection = OptimizeSection()
    anomaly: AnomalySection | None = None  # present: an anomaly-detection project
    monitor: MonitorSection = MonitorSection()
    detection: DetectionSection = DetectionSection()
    search: SearchSection = SearchSection()

    # Set by load_config: the folder relative paths are resolved against.
    base_dir: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _check_model(self) -> ProjectConfig:
        if self.model.tflite and (self.model.is_classical or self.anomaly is not None):
            raise ValueError("model.tflite is an int8 network; remove it to train a classical "
                             "model or an anomaly detector")
        if self.model.is_detector and self.model.tflite:
            raise ValueError("model.tflite with architecture = \"fomo\": a detector is trained "
                             "here; remove model.tflite")
        if self.model.is_detector and self.dsp.block != "image":
            raise ValueError(f"model.architecture = \"{self.model.architecture}\" detects objects "
                             "in images; set [dsp] block = \"image\"")
        if self.model.is_detector and self.monitor.enabled:
            raise ValueError("monitor.enabled: on-device monitoring is for classifiers; remove "
                             "it for a detector")
        variant = self.quantization.variant
        if variant != "ptq_int8" and (
                self.model.tflite or self.is_classical or self.model.is_detector):
            what = ("model.tflite is quantized already" if self.model.tflite else
                    "a classical model has no int8 network" if self.is_classical else
                    f"{variant} is not done for the fomo detector yet")
            raise ValueError(f"quantization.variant = \"{variant}\": {what}; remove it or set "
                             "\"ptq_int8\"")
        if variant == "ptq_16x8" and self.dsp.block == "image":
            raise ValueError("quantization.variant = \"ptq_16x8\": the camera-frame library "
                             "takes int8 image models; set \"ptq_int8\"")
        if variant == "ptq_16x8" and self.monitor.enabled:
            raise ValueError("quantization.variant = \"ptq_16x8\": the on-device monitor takes "
                             "int8 scores; disable [monitor] or set \"ptq_int8\"")
        return self

    @property
    def is_classical(self) -> bool:
        """Trained with scikit-learn: a classical [model] architecture or an [anomaly] detector."""
        return self.anomaly is not None or self.model.is_classical

    def dataset_path(self) -> Path:
        return (self.base_dir / self.dataset.path).resolve()

    def external_model_path(self) -> Path | None:
        """[model] tflite resolved against the config's folder; None: trained here."""
        return (self.base_dir / self.model.tflite).resolve() if self.model.tflite else None

    def output_path(self) -> Path:
        out = self.project.output_dir or f"build/{self.project.name}"
        return (self.base_dir / out).resolve()


def parse_config(data: dict[str, Any], source: str, base_dir: Path) -> ProjectConfig:
    """Validate a parsed TOML document; errors name `source` and the field."""
    try:
        config = ProjectConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None
    config.base_dir = base_dir
    return config


def load_config(path: str | Path) -> ProjectConfig:
    path = Path(path)
    if path.is_dir():
        path = path / "microforge.toml"
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file; create one with `microforge init`")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file") from None
    return parse_config(data, str(path), path.parent.resolve())


def _describe(exc: ValidationError, source: str) -> str:
    """The first problem, as `file: section.field: what is wrong (got X)`."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "(top level)"
    kind = err["type"]
    if kind == "extra_forbidden":
        message = "unknown field; check the spelling against `microforge init`'s template"
    elif kind == "missing":
        message = "required field is missing"
    else:
        message = err["msg"].removeprefix("Value error, ")
        if "input" in err and not isinstance(err["input"], dict):
            message += f" (got {err['input']!r})"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source}: {field}: {message}{suffix}"
