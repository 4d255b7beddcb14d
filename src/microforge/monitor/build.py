"""A project's pipeline library with monitoring ([monitor] enabled = true): the reference is
fitted on the project's own windows (edges: the final fold's training windows; distributions
and calibration: its validation windows, or its training windows when there is no validation
split), written beside the C as `monitor_reference.json` (what a server needs to decode and
judge the records).

    lib, ref = compile_monitored("examples/uci_har/microforge.toml")
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.config import MonitorSection, ProjectConfig, load_config
from microforge.dsp.base import DspBlock
from microforge.dsp.quantize import quantize_features
from microforge.errors import ConfigError
from microforge.library.assemble import PipelineLibrary, compile_project
from microforge.monitor.emit import write_monitor
from microforge.monitor.reference import MonitorReference, fit_reference
from microforge.monitor.spec import input_groups
from microforge.postprocess.model import Int8Runner
from microforge.runners.model_runners import TflmRunner
from microforge.workspace.data import ProjectData
from microforge.workspace.trained import load_trained, project_config_path

REFERENCE_FILE = "monitor_reference.json"


def int8_inputs(block: DspBlock, windows: np.ndarray, runner: Int8Runner,
                rounding: str = "nearest") -> np.ndarray:
    """(n, n_inputs) int8 model inputs of raw windows, as the pipeline computes them."""
    q = runner.input_quant
    feats = block.transform(np.asarray(windows, np.float32)).reshape(len(windows), -1)
    return np.stack([quantize_features(f, q.scale, q.zero_point, rounding)  # type: ignore[arg-type]
                     for f in feats])


def int8_scores(runner: Int8Runner, inputs: np.ndarray) -> np.ndarray:
    return np.stack([runner(x) for x in inputs])


def monitor_reference(block: DspBlock, model_bytes: bytes, section: MonitorSection,
                      train_windows: np.ndarray, ref_windows: np.ndarray,
                      ref_labels: np.ndarray, source: str = "validation") -> MonitorReference:
    """fit_reference on raw windows: DSP, int8 quantization and the model (TFLM)."""
    runner = TflmRunner(model_bytes)
    sample_rate, win_len, channels = block.fitted_geometry()
    groups = input_groups(tuple(block.feature_shape(win_len, channels)))
    ref_inputs = int8_inputs(block, ref_windows, runner)
    return fit_reference(int8_inputs(block, train_windows, runner), ref_inputs,
                         int8_scores(runner, ref_inputs), ref_labels, groups,
                         runner.output_quant, model_bytes, section, source)


def compile_monitored(config: ProjectConfig | str | Path, out_dir: str | Path | None = None,
                      *, run_dir: str | Path | None = None,
                      fixed_point: bool | None = None,
                      data: ProjectData | None = None) -> tuple[PipelineLibrary, MonitorReference]:
    """compile_project with the monitor: the library and its reference. `data`: the
    project's data when the caller has read it already (it is read here otherwise)."""
    if not isinstance(config, ProjectConfig):
        path = project_config_path(config) or Path(config)
        config = load_config(path)
    if not config.monitor.enabled:
        raise ConfigError("monitor.enabled is false; set [monitor] enabled = true")
    trained = load_trained(config, run_dir)
    if trained.classical is not None:
        raise ConfigError(f"[monitor]: {config.model.architecture} is a classical model; the "
                          "monitor covers int8 neural models for now; set [monitor] enabled = "
                          "false")
    data = ProjectData(config) if data is None else data
    _, windows = data.load()
    fold = data.final_fold()
    train, val = fold.mask("train"), fold.mask("val")
    source = "validation" if val.any() else "training"
    ref_mask = val if val.any() else train
    ref = monitor_reference(trained.block, trained.model_bytes, config.monitor,
                            windows.x[train], windows.x[ref_mask], windows.y[ref_mask], source)

    def extra(folder: Path) -> list[str]:
        files = write_monitor(trained.name, ref.spec, folder,
                              list(config.monitor.confidence_edges),
                              list(config.monitor.margin_edges))
        ref.save(folder / REFERENCE_FILE)
        return [*files, REFERENCE_FILE]

    library = compile_project(config, out_dir, run_dir=run_dir, fixed_point=fixed_point,
                              extra=extra)
    return library, ref
