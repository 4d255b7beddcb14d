"""One fold through the stages: train (float) -> quantize (int8, evaluated in TFLM) -> export."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from microforge.data.windowing import Windows
from microforge.errors import ConfigError
from microforge.pipeline.features import Features, compute_features
from microforge.runners.tflm import ArenaSize
from microforge.targets.boards import Fit
from microforge.train.metrics import Metrics
from microforge.workspace.data import ProjectData
from microforge.workspace.folds import Fold
from microforge.workspace.rundir import RunDir
from microforge.workspace.specs import augment_params, train_params

ALL_STAGES = ("train", "quantize", "export")


@dataclass
class FoldResult:
    name: str
    test_groups: tuple[str, ...]
    n_test: int
    float_metrics: Metrics | None = None
    int8_metrics: Metrics | None = None
    params: int = 0
    epochs_run: int = 0
    best_epoch: int = 0  # 1-based epoch whose weights were kept (early stopping)
    train_seconds: float = 0.0
    float_tflite_bytes: int = 0
    int8_tflite_bytes: int = 0
    quantization: str = "ptq_int8"  # how the int8 model was made ([quantization] variant)
    arena: ArenaSize | None = None
    board_fits: list[tuple[str, Fit]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # a classical project (pipeline.classical_stage): its kind, the C library's -Os sizes per
    # part, and for an anomaly detector its metrics (classical.anomaly_metrics)
    model_kind: str = ""
    library_sizes: dict[str, Any] | None = None
    anomaly: Any = None
    # a detection project (pipeline.detection_stage): centroid metrics, float and int8
    detection: Any = None


def run_fold(
    project: ProjectData,
    fold: Fold,
    windows: Windows,
    out: Path | None,
    stages: tuple[str, ...] = ALL_STAGES,
    load_from: Path | None = None,
) -> FoldResult:
    """Run `stages` for `fold`; artifacts go to `out` (None: evaluate only, keep nothing)."""
    config = project.config
    dataset = project.load()[0]
    result = FoldResult(fold.name, fold.test_groups, int(fold.mask("test").sum()))
    if config.is_classical:
        from microforge.pipeline.classical_stage import run_classical_fold

        return run_classical_fold(project, fold, windows, out, stages, result)
    if config.model.is_detector:
        from microforge.pipeline.detection_stage import run_detection_fold

        return run_detection_fold(project, fold, windows, out, stages, result, load_from)
    if config.external_model_path() is not None and stages != ("export",):
        return _run_external(project, fold, windows, out, stages, load_from, result)
    if stages == ("export",):
        folder = out or load_from
        if folder is None:
            raise ConfigError("no run folder to export from; run `microforge train`")
        _export(project, folder, result)
        return result

    if "train" in stages:
        features = compute_features(config, fold, windows, dataset.sample_rate)
        train_windows = windows.x[fold.mask("train")]
        model = _train(project, features, train_windows, dataset, result)
        if out is not None:
            run = RunDir(out)
            model.save(run.keras_model)
            run.save_dsp(config.dsp.block, features.block)
            run.save_labels(dataset.classes)
            result.files += [run.name_of(p) for p in (run.keras_model, run.dsp_json,
                                                       run.labels_json)]
    else:
        features, model = _load_trained(project, fold, windows, load_from or out)
        result.params = int(model.count_params())
    if features.has("test"):
        result.float_metrics = _evaluate_keras(model, features, dataset.classes)

    if "quantize" in stages:
        variant = config.quantization.variant
        what = {"qat": "QAT fine-tuning, int8",
                "ptq_16x8": "16x8 quantization"}.get(variant, "int8 quantization")
        with project.console.status(f"{fold.name}: {what}, evaluation in TFLM"):
            _quantize(project, fold, model, features, result, out)
    if "export" in stages and out is not None:
        with project.console.status("export: TFLM arena, C sources, board fit"):
            _export(project, out, result)
    return result


def _train(project: ProjectData, features: Features, train_windows, dataset, result: FoldResult):
    from microforge.train.fit import train_model
    from microforge.train.zoo import build_model

    config = project.config
    params = train_params(config)
    x_train = features.x["train"]
    if config.training.augment:
        # fresh augmentation of the raw windows every batch, then the fitted DSP block
        from microforge.train.augment import WindowAugmenter
        from microforge.train.image_augment import ImageAugmenter

        block = features.block
        augmenter: ImageAugmenter | WindowAugmenter
        if not block.windowed:  # images: flip, shift, brightness
            augmenter = ImageAugmenter()
        else:
            std = train_windows.reshape(-1, train_windows.shape[-1]).std(axis=0)
            augmenter = WindowAugmenter(augment_params(config), dataset.channel_names, std)

        def transform(batch, rng):
            return block.transform(augmenter(batch, rng)).astype(np.float32)

        params.batch_transform = transform
        x_train = train_windows
    model = build_model(
        config.model.architecture,
        features.input_shape,
        len(dataset.classes),
        width=config.model.width,
        dropout=config.model.dropout,
        seed=config.training.seed,
        depth=config.model.depth,
    )
    x_val, y_val = ((features.x["val"], features.y["val"]) if features.has("val")
                    else (None, None))
    started = time.perf_counter()
    trained = train_model(
        model, x_train, features.y["train"], x_val, y_val, params, console=project.console
    )
    result.train_seconds = time.perf_counter() - started
    result.epochs_run = trained.epochs_run
    result.best_epoch = trained.best_epoch
    result.params = int(model.count_params())
    return model


def _evaluate_keras(model, features: Features, classes: list[str]):
    from microforge.train.metrics import evaluate

    scores = model.predict(features.x["test"], verbose=0, batch_size=256)
    return evaluate(features.y["test"], np.argmax(scores, axis=-1), classes)


def _quantize(project: ProjectData, fold: Fold, model, features: Features, result: FoldResult,
              out: Path | None) -> None:
    from microforge.train.metrics import evaluate
    from microforge.train.quantize import convert_float, predict_int8, quantize_int8

    config = project.config
    variant = config.quantization.variant
    if variant == "ptq_int8":
        int8 = quantize_int8(
            model,
            features.x["train"],
            n_samples=config.quantization.representative_samples,
            seed=config.split.seed,
        )
    else:  # made above this layer (project.Project: optimize's technique of that name);
        # ptq_16x8: int16 I/O, still written as model_int8.tflite (the deployed model)
        int8 = project.int8_variant(variant, fold, features, model)
    result.quantization = variant
    result.int8_tflite_bytes = len(int8)
    if features.has("test"):
        _, labels = predict_int8(int8, features.x["test"])
        result.int8_metrics = evaluate(features.y["test"], labels, project.load()[0].classes)
    if out is not None:
        float_model = convert_float(model)
        result.float_tflite_bytes = len(float_model)
        run = RunDir(out)
        run.int8_tflite.write_bytes(int8)
        run.float_tflite.write_bytes(float_model)
        result.files += [run.name_of(run.int8_tflite), run.name_of(run.float_tflite)]


def _export(project: ProjectData, out: Path, result: FoldResult) -> None:
    from microforge.export.tflm_array import write_tflm_sources
    from microforge.runners.tflm import tflm_arena_size
    from microforge.targets.boards import fit_check, load_board

    run = RunDir(out)
    int8 = run.load_int8()
    result.int8_tflite_bytes = len(int8)
    result.arena = arena = tflm_arena_size(int8)
    written = write_tflm_sources(int8, run.tflm_dir, name="model", arena=arena)
    result.files += [run.name_of(Path(p)) for p in written]
    target = project.config.target
    boards = [target.board] + [b for b in target.compare if b != target.board]
    result.board_fits = [
        (board_id, fit_check(load_board(board_id), len(int8), arena.total))
        for board_id in boards
    ]


def _load_trained(project: ProjectData, fold: Fold, windows, folder: Path | None):
    if folder is None:
        raise ConfigError("no run folder to load the trained model from; run `microforge train`")
    run = RunDir(folder)
    run.require(run.keras_model, run.dsp_json)
    dataset = project.load()[0]
    features = compute_features(project.config, fold, windows, dataset.sample_rate,
                                block=run.load_dsp())
    return features, run.load_keras()



def external_model(project: ProjectData) -> bytes:
    """The bytes of [model] tflite, checked: one int8 input and output, or int16 ones (a 16x8
    model) (ConfigError naming the field otherwise)."""
    from microforge.errors import MicroforgeError
    from microforge.runners.model_runners import TflmRunner

    path = project.config.external_model_path()
    if path is None or not path.is_file():
        raise ConfigError(f"model.tflite: {path}: no such file; fix the path (relative to "
                          "microforge.toml) or remove it to train a model here")
    data = path.read_bytes()
    try:
        TflmRunner(data)
    except MicroforgeError as exc:
        raise ConfigError(f"model.tflite: {path.name}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - not a model TFLM can load
        raise ConfigError(f"model.tflite: {path.name} is not a .tflite TFLM can load "
                          f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
                          ) from None
    return data


def _run_external(project: ProjectData, fold: Fold, windows, out: Path | None,
                  stages: tuple[str, ...], load_from: Path | None,
                  result: FoldResult) -> FoldResult:
    """[model] tflite: fit the DSP block on the fold's training windows, evaluate the given
    int8 model on the test features in TFLM, and write the run like a trained one."""
    from microforge.runners.model_runners import TflmRunner
    from microforge.train.metrics import evaluate
    from microforge.train.quantize import predict_int8

    config = project.config
    dataset = project.load()[0]
    int8 = external_model(project)
    folder = load_from or out
    previous = RunDir(folder) if folder is not None else None
    if "train" not in stages and previous is not None and previous.dsp_json.is_file():
        block = previous.load_dsp()
    else:
        block = None
    features = compute_features(config, fold, windows, dataset.sample_rate, block=block)
    runner = TflmRunner(int8)
    n_features = int(np.prod(features.input_shape))
    if runner.input_size != n_features:
        raise ConfigError(f"model.tflite: {config.model.tflite} takes {runner.input_size} "
                          f"inputs but the DSP block ({config.dsp.block}) gives {n_features} "
                          "features; use the [dsp] and [windowing] it was trained with")
    if runner.output_size != len(dataset.classes):
        raise ConfigError(f"model.tflite: {config.model.tflite} gives {runner.output_size} "
                          f"scores for {len(dataset.classes)} classes "
                          f"({', '.join(dataset.classes)})")
    result.int8_tflite_bytes = len(int8)
    if features.has("test"):
        _, labels = predict_int8(int8, features.x["test"])
        result.int8_metrics = evaluate(features.y["test"], labels, dataset.classes)
    if out is not None:
        run = RunDir(out)
        run.save_dsp(config.dsp.block, features.block)
        run.save_labels(dataset.classes)
        run.int8_tflite.write_bytes(int8)
        result.files += [run.name_of(p) for p in (run.dsp_json, run.labels_json,
                                                   run.int8_tflite)]
        if "export" in stages:
            with project.console.status("export: TFLM arena, C sources, board fit"):
                _export(project, out, result)
    return result
