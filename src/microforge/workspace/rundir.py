"""A run folder (`build/<name>/` by default): the one place that knows its file names.

    run = RunDir(config.output_path())
    run.require("quantize", run.int8_tflite)      # MissingArtifact naming the stage to run
    block, labels = run.load_dsp(), run.load_labels()

The stages write through these paths; everything that reads a run (the C library, verify,
profile, deploy, the report) reads through them too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microforge.dsp.base import DspBlock
from microforge.errors import ConfigError

if TYPE_CHECKING:
    from microforge.classical.trained import TrainedClassical

# which stage writes each artifact, for "run `microforge <stage>` first"
PRODUCED_BY = {
    "model.keras": "train", "dsp.json": "train", "labels.json": "train",
    "model_classical.joblib": "train", "classical.json": "train",
    "model_int8.tflite": "quantize", "model_float.tflite": "quantize",
    "tflm": "export", "manifest.json": "run", "report.json": "run",
}


class MissingArtifact(ConfigError):
    """A file a step needs is not in the run folder: `path`, and `stage` that writes it."""

    def __init__(self, path: Path, stage: str, hint: str | None = None) -> None:
        self.path, self.stage = path, stage
        super().__init__(hint or f"{path}: not found; run `microforge {stage}` first")


@dataclass(frozen=True)
class RunDir:
    """Typed paths of a run folder, and load/save of each artifact."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def keras_model(self) -> Path:
        return self.root / "model.keras"

    @property
    def dsp_json(self) -> Path:
        return self.root / "dsp.json"

    @property
    def labels_json(self) -> Path:
        return self.root / "labels.json"

    @property
    def classical_model(self) -> Path:
        """A scikit-learn model (classical or anomaly project), joblib-pickled."""
        return self.root / "model_classical.joblib"

    @property
    def classical_json(self) -> Path:
        return self.root / "classical.json"

    @property
    def is_classical(self) -> bool:
        return self.classical_json.is_file()

    @property
    def int8_tflite(self) -> Path:
        return self.root / "model_int8.tflite"

    @property
    def float_tflite(self) -> Path:
        return self.root / "model_float.tflite"

    @property
    def tflm_dir(self) -> Path:
        return self.root / "tflm"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def resolved_config(self) -> Path:
        return self.root / "config.resolved.json"

    @property
    def c_pipeline(self) -> Path:
        return self.root / "c_pipeline"

    @property
    def optimize_dir(self) -> Path:
        return self.root / "optimize"

    @property
    def search_dir(self) -> Path:
        """`microforge search`: the study (study.db), trials.json, the report."""
        return self.root / "search"

    @property
    def calibration_dir(self) -> Path:
        return self.root / "calibration"

    @property
    def other_commands_dirs(self) -> tuple[Path, ...]:
        """Folders other commands keep in the run folder; `microforge run` carries them over
        into the new run folder (a search's study survives a rerun of the project)."""
        return (self.optimize_dir, self.search_dir, self.calibration_dir)

    def name_of(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def require(self, *paths: Path) -> None:
        """MissingArtifact for the first of `paths` that is not there."""
        for path in paths:
            if not path.exists():
                raise MissingArtifact(path, PRODUCED_BY.get(path.name, "run"))

    # -- load --------------------------------------------------------------------------------
    def load_dsp(self) -> DspBlock:
        from microforge.dsp import block_from_state

        self.require(self.dsp_json)
        return block_from_state(_read_json(self.dsp_json))

    def load_labels(self) -> list[str]:
        self.require(self.labels_json)
        return [str(label) for label in _read_json(self.labels_json)]

    def load_int8(self) -> bytes:
        self.require(self.int8_tflite)
        return self.int8_tflite.read_bytes()

    def load_classical(self) -> TrainedClassical:
        """The trained classical model. joblib unpickles it: load only run folders you made."""
        import joblib

        from microforge.classical.trained import TrainedClassical

        self.require(self.classical_json, self.classical_model)
        meta = _read_json(self.classical_json)
        try:
            estimator = joblib.load(self.classical_model)
        except Exception as exc:  # noqa: BLE001 - a truncated or foreign file
            raise ConfigError(f"{self.classical_model}: unreadable ({type(exc).__name__}); "
                              "run `microforge train` again") from None
        return TrainedClassical(estimator, str(meta["kind"]), meta["role"],
                                int(meta["n_features"]), meta.get("threshold"))

    def load_keras(self) -> Any:
        import keras

        self.require(self.keras_model)
        return keras.models.load_model(self.keras_model)

    # -- save (into a folder being built: paths of a RunDir on the temp folder) --------------
    def save_dsp(self, block_name: str, block: DspBlock) -> None:
        from microforge.atomic import atomic_write_json

        atomic_write_json(self.dsp_json, {"block": block_name, "state": block.state_dict()})

    def save_classical(self, model: TrainedClassical) -> None:
        import joblib

        from microforge.atomic import atomic_write_json

        joblib.dump(model.estimator, self.classical_model)
        atomic_write_json(self.classical_json, model.meta())

    def save_labels(self, labels: list[str]) -> None:
        from microforge.atomic import atomic_write_json

        atomic_write_json(self.labels_json, list(labels))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: unreadable ({exc}); run the project again") from None
