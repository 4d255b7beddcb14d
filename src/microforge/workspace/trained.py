"""What a project run left in its run folder, ready to compile or to stream in Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from microforge.config import ProjectConfig, load_config
from microforge.dsp.base import DspBlock
from microforge.errors import ConfigError
from microforge.postprocess.params import PostprocessParams
from microforge.workspace.rundir import MissingArtifact, RunDir

if TYPE_CHECKING:
    from microforge.classical.trained import TrainedClassical


@dataclass
class TrainedPipeline:
    """The fitted DSP block, the model (int8 network or classical), labels, stride and
    post-processing of a run."""

    block: DspBlock  # the fitted DSP block (dsp.json)
    model_bytes: bytes  # model_int8.tflite (b"" for a classical model)
    labels: list[str]
    stride: int  # samples
    postprocess: PostprocessParams
    name: str
    run_dir: Path
    board: str
    classical: TrainedClassical | None = None  # a scikit-learn model instead of the network
    detector: bool = False  # an object detector (fomo): a heatmap -> centroids, no label
    threshold: float = 0.5  # the detector's [detection] threshold

    def reference_pipeline(self):
        """The Python streaming pipeline of this run (postprocess.StreamingPipeline): the
        fitted block, then TFLM on the int8 model, or scikit-learn for a classical model."""
        from microforge.postprocess import StreamingPipeline

        if self.classical is not None:
            from microforge.classical.trained import OneHotRunner

            model = OneHotRunner(self.classical)
        else:
            from microforge.runners.model_runners import TflmRunner

            model = TflmRunner(self.model_bytes)
        return StreamingPipeline(self.block, model, self.labels, self.stride, self.postprocess)

    @property
    def window_len(self) -> int:
        """Samples per window, as the DSP block was fitted."""
        return self.block.fitted_geometry()[1]


def project_config_path(path: str | Path) -> Path | None:
    """The microforge.toml a path names (the file, or a folder holding one); None otherwise."""
    path = Path(path)
    if path.suffix == ".toml":
        return path
    if path.is_dir():
        toml = path / "microforge.toml"
        if not toml.is_file():
            raise ConfigError(f"{path}: a folder without microforge.toml; pass a project folder, "
                              "its microforge.toml or a .tflite")
        return toml
    if not path.exists() and not path.suffix:
        raise ConfigError(f"{path}: no such project folder; pass a project folder, its "
                          "microforge.toml or a .tflite")
    return None


def c_name(config: ProjectConfig) -> str:
    """The project's name as a C identifier part (the library's `mf_<name>_` prefix)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", config.project.name)


def load_trained(config: ProjectConfig | str | Path,
                 run_dir: str | Path | None = None) -> TrainedPipeline:
    """The trained pipeline of a project: `config` is a microforge.toml (or its folder) or a
    loaded ProjectConfig; `run_dir` the run's output folder (default: the config's). An
    untrained project is a MissingArtifact (see `load_trained_project`)."""
    from microforge.data.windowing import window_samples
    from microforge.workspace.specs import window_spec

    if not isinstance(config, ProjectConfig):
        path = project_config_path(config) or Path(config)
        if not path.is_file():
            raise ConfigError(f"{path}: no such project file; pass a microforge.toml, its "
                              "folder or a .tflite")
        config = load_config(path)
    run = RunDir(Path(run_dir) if run_dir is not None else config.output_path())
    model_file = run.classical_model if config.is_classical else run.int8_tflite
    for needed in (model_file, run.dsp_json, run.labels_json):
        if not needed.is_file():
            raise MissingArtifact(needed, "run", f"{needed}: not found; train the project "
                                  "first (`microforge run`)")
    block = run.load_dsp()
    if block.sample_rate is None:
        raise ConfigError(f"{run.dsp_json}: the DSP block was saved unfitted; retrain with "
                          "`microforge run`")
    length, stride = window_samples(window_spec(config), float(block.sample_rate))
    if not block.windowed:  # images: one frame per window, [windowing] does not apply
        length = stride = int(block.win_len or 0)
    if length != block.win_len:
        raise ConfigError(f"windowing.window_ms: {length} samples now, but the model was "
                          f"trained on {block.win_len}; retrain with `microforge run`")
    classical = run.load_classical() if config.is_classical else None
    return TrainedPipeline(block, b"" if classical else run.load_int8(), run.load_labels(),
                           stride, PostprocessParams.from_config(config.postprocess),
                           c_name(config), run.root, config.target.board, classical,
                           detector=config.model.is_detector,
                           threshold=config.detection.threshold)


def load_trained_project(config_path: Path, run_dir: Path | None = None,
                         config: ProjectConfig | None = None) -> TrainedPipeline:
    """load_trained for a command given a project path (verify, profile, deploy): the untrained
    case names the command to run on that path."""
    try:
        return load_trained(config if config is not None else config_path, run_dir)
    except MissingArtifact as missing:
        raise ConfigError(f"{missing.path}: the project is not trained; run `microforge run "
                          f"{config_path}` first") from None
