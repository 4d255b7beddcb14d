"""`microforge calibrate PROJECT`: the keyword detector's post-processing tuned on a stream of
the project's held-out clips, checked on a second stream of other held-out clips.

The held-out (test) groups of the project's split are divided in two: the clips of one half
make the tuning stream, the other half the check stream (with one test group, its clips
alternate). Recordings of the `_silence_` class (background noise) fill the gaps between
clips; every other clip (keywords and the ignored words, e.g. `_unknown_`) is placed in the
stream. The sweep picks the post-processing with the lowest false rejection rate whose false
activations per hour on the tuning stream are at most the target, and reports the check
stream's DET curve and the chosen point's rates on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_write_json
from microforge.calibrate.stream import Stream, build_stream
from microforge.calibrate.sweep import DetPoint, choose, det_curve, sweep, window_scores
from microforge.errors import ConfigError, DataError

BACKGROUND_LABEL = "_silence_"


@dataclass
class Calibration:
    target_per_hour: float
    keywords: list[str]
    tune_hours: float
    check_hours: float
    chosen: DetPoint | None
    on_check: DetPoint | None  # the chosen parameters on the check stream
    tune_curve: list[DetPoint] = field(default_factory=list)
    check_curve: list[DetPoint] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"target_false_activations_per_hour": self.target_per_hour,
                "keywords": self.keywords, "tune_hours": self.tune_hours,
                "check_hours": self.check_hours,
                "chosen": self.chosen.to_dict() if self.chosen else None,
                "on_check_stream": self.on_check.to_dict() if self.on_check else None,
                "tune_det_curve": [p.to_dict() for p in self.tune_curve],
                "check_det_curve": [p.to_dict() for p in self.check_curve]}


def calibrate_streams(block, model_bytes: bytes, labels: list[str], stride: int,
                      tune: Stream, check: Stream, ignore_labels: list[str],
                      target_per_hour: float) -> Calibration:
    keywords = [label for label in labels if label not in ignore_labels]
    if not keywords:
        raise ConfigError("postprocess.ignore_labels: every class is ignored; the detector "
                          "has no keyword to report")
    tune_scores = window_scores(block, model_bytes, labels, stride, tune)
    tune_points = sweep(tune_scores, tune, keywords, ignore_labels)
    chosen = choose(tune_points, target_per_hour)
    check_scores = window_scores(block, model_bytes, labels, stride, check)
    check_points = sweep(check_scores, check, keywords, ignore_labels)
    on_check = None
    if chosen is not None:
        on_check = next(p for p in check_points if (p.average_windows, p.threshold,
                                                    p.suppression_ms) ==
                        (chosen.average_windows, chosen.threshold, chosen.suppression_ms))
    return Calibration(target_per_hour, keywords, tune.hours, check.hours, chosen, on_check,
                       det_curve(tune_points), det_curve(check_points))


def project_streams(config_path: Path, seed: int = 0) -> tuple[Stream, Stream]:
    """(tuning stream, check stream) from the project's held-out clips."""
    from microforge.workspace.data import ProjectData

    project = ProjectData.from_toml(config_path)
    dataset, _ = project.load()
    fold = project.final_fold()
    groups = sorted(fold.test_groups)
    if not groups:
        raise ConfigError(f"{config_path}: split: calibration needs held-out test groups; "
                          "set [split] test_fraction or test_groups (no cross-validation)")
    held = [r for r in dataset.recordings
            if str(r.group) in set(groups) and r.label != BACKGROUND_LABEL]
    backgrounds = [r.signal for r in dataset.recordings if r.label == BACKGROUND_LABEL]
    if len(groups) >= 2:
        first = set(groups[::2])
        halves = ([(r.label, r.signal) for r in held if str(r.group) in first],
                  [(r.label, r.signal) for r in held if str(r.group) not in first])
    else:
        halves = ([(r.label, r.signal) for r in held[::2]],
                  [(r.label, r.signal) for r in held[1::2]])
    if not halves[0] or not halves[1]:
        raise DataError(f"{config_path}: too few held-out clips for two calibration streams "
                        f"({len(held)}); raise [split] test_fraction")
    rate = float(dataset.sample_rate)
    return (build_stream(halves[0], backgrounds, rate, seed),
            build_stream(halves[1], backgrounds, rate, seed + 1))


def calibrate_project(config_path: Path, target_per_hour: float, seed: int = 0,
                      force: bool = False) -> Calibration:
    """Calibrate, write <output>/calibration/ (calibration.json, det.png) and
    microforge.calibrated.toml beside the config (with the chosen [postprocess])."""
    from microforge.calibrate.report import write_calibration
    from microforge.config import load_config
    from microforge.workspace.trained import load_trained_project

    if not target_per_hour > 0:
        raise ConfigError(f"--target must be > 0 false activations per hour, got "
                          f"{target_per_hour}")
    config = load_config(config_path)
    trained = load_trained_project(config_path, config=config)
    if trained.classical is not None:
        raise ConfigError(f"{config_path}: calibration is for int8 networks")
    target = config_path.parent / "microforge.calibrated.toml"
    if target.exists() and not force:
        raise ConfigError(f"{target}: exists; pass --force to replace it")
    tune, check = project_streams(config_path, seed)
    result = calibrate_streams(trained.block, trained.model_bytes, trained.labels,
                               trained.stride, tune, check,
                               list(config.postprocess.ignore_labels), target_per_hour)
    from microforge.workspace.rundir import RunDir

    folder = RunDir(config.output_path()).calibration_dir
    result.files = write_calibration(folder, result)
    atomic_write_json(folder / "calibration.json", result.to_dict())
    if result.chosen is not None:
        result.files.append(_write_config(config_path, target, result.chosen))
    return result


def _write_config(config_path: Path, target: Path, chosen: DetPoint) -> Path:
    import tomllib

    from microforge.atomic import atomic_write_text
    from microforge.config import load_config
    from microforge.toml_text import to_toml

    doc = tomllib.loads(config_path.read_text(encoding="utf-8"))
    post = doc.setdefault("postprocess", {})
    post.update(mode="detector", average_windows=chosen.average_windows,
                threshold=chosen.threshold, suppression_ms=chosen.suppression_ms)
    header = (f"# {config_path.name} with the post-processing from `microforge calibrate`: "
              f"{chosen.false_activations_per_hour:.1f} false activations/h, false rejection "
              f"{100 * chosen.false_rejection_rate:.1f} % on the tuning stream\n")
    atomic_write_text(target, header + to_toml(doc))
    load_config(target)
    return target
