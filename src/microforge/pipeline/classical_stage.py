"""One fold of a classical project: the DSP block fitted on the fold's training windows, a
scikit-learn classifier (or an anomaly detector on the normal training windows only, its
threshold on the normal validation windows) fitted on the features, evaluated on the test
windows; the run folder gets the model, and the board fit of the whole C library."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from microforge.data.windowing import Windows
from microforge.errors import ConfigError
from microforge.pipeline.features import Features, compute_features
from microforge.workspace.data import ProjectData
from microforge.workspace.folds import Fold
from microforge.workspace.rundir import RunDir


def run_classical_fold(project: ProjectData, fold: Fold, windows: Windows, out: Path | None,
                       stages: tuple[str, ...], result: Any) -> Any:
    from microforge.classical.trained import DETECTOR_LABELS

    config = project.config
    if "train" not in stages:
        raise ConfigError(f"{config.project.name}: a classical model has no "
                          f"{'/'.join(stages)} stage; `microforge train` trains and evaluates "
                          "it, `microforge compile` writes its C library")
    dataset = project.load()[0]
    classes = list(dataset.classes)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # checked next
        features = compute_features(config, fold, windows, dataset.sample_rate)
    _check_finite(features, fold, windows, dataset)
    started = time.perf_counter()
    where = "training split" if fold.name == "split" else f"{fold.name}: training split"
    if config.anomaly is not None:
        model, labels = _train_detector(project, features, classes, result, where), \
            list(DETECTOR_LABELS)
    else:
        model, labels = _train_classifier(project, features, classes, result, where), classes
    result.train_seconds = time.perf_counter() - started
    result.model_kind = model.kind
    if out is not None:
        run = RunDir(out)
        run.save_classical(model)
        run.save_dsp(config.dsp.block, features.block)
        run.save_labels(labels)
        result.files += [run.name_of(p) for p in (run.classical_model, run.classical_json,
                                                   run.dsp_json, run.labels_json)]
        if fold.is_final:
            with project.console.status("C library: DSP + model + post-processing, board fit"):
                _board_fit(project, out, result)
    return result


def _check_finite(features: Features, fold: Fold, windows: Windows, dataset: Any) -> None:
    """A DataError naming the recording and the time of the first window whose DSP features
    are NaN or infinite (scikit-learn cannot learn from them, the C could not decide)."""
    from microforge.errors import DataError

    for part, x in features.x.items():
        rows = x.reshape(len(x), int(np.prod(x.shape[1:])))
        bad = ~np.isfinite(rows)
        if not bad.any():
            continue
        row, col = (int(v) for v in np.argwhere(bad)[0])
        index = np.flatnonzero(fold.mask(part))[row]
        recording = dataset.recordings[int(windows.recording[index])]
        at = float(windows.start[index]) / float(dataset.sample_rate)
        value = rows[row, col]
        raise DataError(f"{recording.source}: the window at {at:g} s has DSP feature {col} = "
                        f"{value}; NaN or infinite features cannot be classified: clean the "
                        "recording (out-of-range samples) or change the [dsp] parameters")


def _train_classifier(project: ProjectData, features: Features, classes: list[str],
                      result: Any, where: str) -> Any:
    from microforge.classical.fit import fit_classifier, flat_features
    from microforge.classical.trained import TrainedClassical
    from microforge.train.metrics import evaluate

    config = project.config
    kind = config.model.architecture
    params = _classical_params(config)
    estimator = fit_classifier(kind, params, features.x["train"], features.y["train"], classes,
                               config.training.seed, where)
    model = TrainedClassical(estimator, kind, "classifier",
                             int(np.prod(features.input_shape)))
    if features.has("test"):
        x = flat_features(features.x["test"], where.replace("training split", "test features"))
        result.float_metrics = evaluate(features.y["test"], model.decide(x), classes)
    return model


def _train_detector(project: ProjectData, features: Features, classes: list[str],
                    result: Any, where: str) -> Any:
    from microforge.classical.anomaly_metrics import anomaly_metrics
    from microforge.classical.fit import (
        check_normal_labels,
        detector_scores,
        fit_detector,
        normal_mask,
    )
    from microforge.classical.params import AUTOENCODER, AnomalyParams
    from microforge.classical.trained import DETECTOR_LABELS, TrainedClassical
    from microforge.train.metrics import evaluate

    config = project.config
    section = config.anomaly
    assert section is not None
    check_normal_labels(classes, section.normal_labels)
    params = AnomalyParams(**section.model_dump(exclude={"detector", "normal_labels"}))
    normal = {part: normal_mask(features.y[part], classes, section.normal_labels)
              for part in features.y}
    fit = _fit_autoencoder if section.detector == AUTOENCODER else fit_detector
    estimator, threshold = fit(section.detector, params, features.x["train"][normal["train"]],
                               features.x["val"][normal["val"]], config.training.seed)
    model = TrainedClassical(estimator, section.detector, "detector",
                             int(np.prod(features.input_shape)), threshold)
    if features.has("test"):
        x, y = features.x["test"], features.y["test"]
        scores = detector_scores(estimator, x)
        result.anomaly = anomaly_metrics(section.detector, scores, threshold,
                                         params.false_alarm_rate, y, normal["test"], classes)
        truth = (~normal["test"]).astype(np.int64)
        result.float_metrics = evaluate(truth, model.decide(x), list(DETECTOR_LABELS))
    return model


def _fit_autoencoder(name: str, params: Any, x_normal: np.ndarray, x_calibration: np.ndarray,
                     seed: int) -> tuple[Any, float]:
    """fit_detector for the int8 dense autoencoder: trained with Keras on the normal training
    windows, its threshold set on the normal validation windows' reconstruction errors."""
    from microforge.classical.autoencoder import autoencoder_scores
    from microforge.classical.detector_host import calibrate_threshold
    from microforge.classical.fit import flat_features
    from microforge.errors import DataError
    from microforge.train.autoencoder import fit_autoencoder

    rows = flat_features(x_normal, "normal training features")
    cal = flat_features(x_calibration, "normal validation features")
    if len(cal) == 0:
        raise DataError("anomaly: no normal windows in the validation split to set the "
                        "threshold on; set [split] val_fraction > 0 (or val_groups)")
    hidden = (params.autoencoder_units, params.autoencoder_bottleneck)
    model = fit_autoencoder(rows, hidden=hidden, epochs=params.autoencoder_epochs, seed=seed)
    return model, calibrate_threshold(autoencoder_scores(model, cal), params.false_alarm_rate)


def _classical_params(config: Any) -> Any:
    from microforge.classical.params import ClassicalParams

    return ClassicalParams(**config.model.classical.model_dump())


def _board_fit(project: ProjectData, out: Path, result: Any) -> None:
    """The whole C library (DSP + model + post-processing) compiled with -Os for the target
    board's core (its fixed-point DSP without an FPU; the host when arm-none-eabi-gcc is not
    here or the core is not a Cortex-M), fitted to the boards."""
    import tempfile

    from microforge.errors import MicroforgeError
    from microforge.library.assemble import compile_trained
    from microforge.runners.sizes import measure_library
    from microforge.targets.boards import fit_check, load_board
    from microforge.targets.cores import core_spec
    from microforge.workspace.trained import load_trained

    trained = load_trained(project.config, out)
    board = load_board(project.config.target.board)
    arm = board.core.lower().startswith("cortex-m")
    flags = list(core_spec(board).cflags) if arm else None
    with tempfile.TemporaryDirectory(prefix="mf_classical_lib_") as tmp:
        library = compile_trained(trained, Path(tmp) / "lib", fixed_point=board.fpu == "none")
        try:
            sizes = measure_library(library.out_dir, library.part_of, cortex_m=arm,
                                    arm_flags=flags or None)
            if sizes.target != "host":
                sizes.target = board.core
        except MicroforgeError as exc:
            project.console.log(f"C library size: not measured ({exc})")
            return
    result.library_sizes = {"target": sizes.target,
                            **{part: {"flash_bytes": s.flash_bytes, "ram_bytes": s.ram_bytes}
                               for part, s in sizes.parts.items()}}
    total = sizes.total
    target = project.config.target
    boards = [target.board] + [b for b in target.compare if b != target.board]
    result.board_fits = [(b, fit_check(load_board(b), total.flash_bytes, total.ram_bytes,
                                       reserve_ram_bytes=0, reserve_flash_bytes=0))
                         for b in boards]
