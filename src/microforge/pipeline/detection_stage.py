"""One fold of a detection project (`[model] architecture = "fomo"`): the image block fitted on
the fold's training images, the FOMO heatmap model trained on per-cell targets from the
objects' centroids (train/fomo.py, augmented when `[training] augment`), int8 in TFLM, and
both evaluated on the test images by centroid precision/recall/F1 (train/detect_metrics.py).

The int8 evaluation decides exactly as the C frame library does: the block's integer pixels,
the same 256-entry input table, TFLM, local maxima of the int8 heatmap over the int8
threshold (library.frame_assemble.FramePipeline)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from microforge.data.windowing import Windows
from microforge.errors import ConfigError
from microforge.pipeline.features import Features, compute_features
from microforge.train.detect_metrics import DetectionMetrics, Points, evaluate_detections
from microforge.workspace.data import ProjectData
from microforge.workspace.folds import Fold
from microforge.workspace.rundir import RunDir


@dataclass
class DetectionResult:
    """A fold's centroid metrics, of the float (Keras) and the int8 (TFLM) model."""

    images: int
    objects: int
    float: DetectionMetrics | None = None
    int8: DetectionMetrics | None = None
    # the training's early stopping: epochs_run, best_epoch, watched (val_loss | loss), the
    # validation images, the watched loss of the kept epoch (None: loaded, not trained here)
    training: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"images": self.images, "objects": self.objects,
                "float": self.float.to_dict() if self.float else None,
                "int8": self.int8.to_dict() if self.int8 else None,
                "training": self.training}

    def lines(self) -> list[str]:
        out = []
        for kind, m in (("float", self.float), ("int8", self.int8)):
            if m is None:
                continue
            o = m.overall
            out.append(f"{kind}: centroid F1 {100 * o.f1:.1f} % (precision "
                       f"{100 * o.precision:.1f} %, recall {100 * o.recall:.1f} %) on "
                       f"{self.objects} objects in {self.images} test images, within "
                       f"{m.distance:g} px")
        return out


def image_truth(project: ProjectData, windows: Windows, mask: np.ndarray,
                block: Any) -> list[Points]:
    """train.fomo.object_centroids of the images in `mask`."""
    from microforge.train.fomo import object_centroids

    dataset = project.load()[0]
    recordings = [dataset.recordings[int(r)] for r in np.asarray(windows.recording)[mask]]
    return object_centroids(recordings, dataset.classes, block)


def run_detection_fold(project: ProjectData, fold: Fold, windows: Windows, out: Path | None,
                       stages: tuple[str, ...], result: Any,
                       load_from: Path | None = None) -> Any:
    from microforge.pipeline.stages import _export, _load_trained

    config = project.config
    dataset = project.load()[0]
    if all(r.objects is None for r in dataset.recordings):
        raise ConfigError(f"model.architecture = \"{config.model.architecture}\" needs a "
                          f"detection dataset: {config.dataset_path()} has no "
                          "bounding_boxes.labels or boxes.csv (docs/vision.md)")
    if stages == ("export",):
        folder = out or load_from
        if folder is None:
            raise ConfigError("no run folder to export from; run `microforge train`")
        _export(project, folder, result)
        return result
    training = None
    if "train" in stages:
        features = compute_features(config, fold, windows, dataset.sample_rate)
        model, training = _train(project, fold, windows, features, result)
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
    test = fold.mask("test")
    truth = image_truth(project, windows, test, features.block) if test.any() else []
    detection = DetectionResult(int(test.sum()), sum(len(t) for t in truth), training=training)
    if test.any():
        detection.float = _evaluate_float(project, model, features, truth)
    if "quantize" in stages:
        with project.console.status(f"{fold.name}: int8 quantization, evaluation in TFLM"):
            int8 = _quantize(project, model, features, result, out)
        if test.any():
            detection.int8 = _evaluate_int8(project, int8, features.block, windows.x[test],
                                            truth)
    result.detection = detection
    if "export" in stages and out is not None:
        with project.console.status("export: TFLM arena, C sources, board fit"):
            _export(project, out, result)
    return result


def _train(project: ProjectData, fold: Fold, windows: Windows, features: Features,
           result: Any) -> tuple[Any, dict[str, Any]]:
    from microforge.train.fomo import FomoAugment, fomo_targets, train_fomo
    from microforge.train.zoo import FOMO_CELL, build_model
    from microforge.workspace.specs import train_params

    config = project.config
    classes = project.load()[0].classes
    train = fold.mask("train")
    truth = image_truth(project, windows, train, features.block)
    height, width = features.input_shape[:2]
    targets = fomo_targets(truth, (height // FOMO_CELL, width // FOMO_CELL), FOMO_CELL)
    model = build_model(config.model.architecture, features.input_shape, len(classes),
                        width=config.model.width, dropout=config.model.dropout,
                        seed=config.training.seed)
    x_val = targets_val = None
    if features.has("val"):  # the split's validation images (by group): early stopping
        x_val = features.x["val"]
        targets_val = fomo_targets(image_truth(project, windows, fold.mask("val"),
                                               features.block),
                                   (height // FOMO_CELL, width // FOMO_CELL), FOMO_CELL)
    started = time.perf_counter()
    trained = train_fomo(model, features.x["train"], targets, train_params(config),
                         augment=FomoAugment() if config.training.augment else None,
                         x_val=x_val, targets_val=targets_val)
    result.train_seconds = time.perf_counter() - started
    result.epochs_run = trained.epochs_run
    result.best_epoch = trained.best_epoch
    watched = "val_loss" if x_val is not None else "loss"
    losses = trained.history.get(watched, [])
    kept = losses[trained.best_epoch - 1] if losses and trained.best_epoch else None
    on = (f"{len(x_val)} validation images" if x_val is not None
          else "the training images (no validation split)")
    if kept is not None:
        project.console.log(f"{fold.name}: FOMO {trained.epochs_run} epochs, weights of epoch "
                            f"{trained.best_epoch} kept ({watched} {kept:.4f} on {on})")
    result.params = int(model.count_params())
    return model, {"epochs_run": trained.epochs_run, "best_epoch": trained.best_epoch,
                   "watched": watched, "validation_images": 0 if x_val is None else len(x_val),
                   "kept_loss": kept}


def _metrics(project: ProjectData, truth: Sequence[Points], predicted: Sequence[Points]):
    detection = project.config.detection
    return evaluate_detections(truth, predicted, project.load()[0].classes,
                               detection.match_distance)


def _evaluate_float(project: ProjectData, model, features: Features, truth: list[Points]):
    from microforge.postprocess.fomo import centroids
    from microforge.train.zoo import FOMO_CELL

    heatmaps = model.predict(features.x["test"], verbose=0, batch_size=64)
    threshold = project.config.detection.threshold
    predicted = [[(c.label, c.x, c.y) for c in centroids(h, threshold, FOMO_CELL)]
                 for h in heatmaps]
    return _metrics(project, truth, predicted)


def _evaluate_int8(project: ProjectData, int8: bytes, block, images: np.ndarray,
                   truth: list[Points]):
    from microforge.library.frame_assemble import FramePipeline

    twin = FramePipeline(block, int8, list(project.load()[0].classes), detector=True,
                         threshold=project.config.detection.threshold)
    predicted = [[(c.label, c.x, c.y) for c in twin.centroids_of(twin.output_of_pixels(p))]
                 for p in block.pixels(images)]
    return _metrics(project, truth, predicted)


def _quantize(project: ProjectData, model, features: Features, result: Any,
              out: Path | None) -> bytes:
    from microforge.train.quantize import convert_float, quantize_int8

    config = project.config
    int8 = quantize_int8(model, features.x["train"],
                         n_samples=config.quantization.representative_samples,
                         seed=config.split.seed)
    result.int8_tflite_bytes = len(int8)
    if out is not None:
        float_model = convert_float(model)
        result.float_tflite_bytes = len(float_model)
        run = RunDir(out)
        run.int8_tflite.write_bytes(int8)
        run.float_tflite.write_bytes(float_model)
        result.files += [run.name_of(run.int8_tflite), run.name_of(run.float_tflite)]
    return int8
