"""Each configured technique -> one deployable .tflite, through the technique modules.

The technique functions are those of the optimization contract (optimize/ptq.py, qat.py,
prune_magnitude.py, prune_structured.py, distill.py). Until optimize/ptq.py exists, float32
and ptq_int8 fall back to optimize/quantize.py; a technique whose module is missing raises
`TechniqueUnavailable` and its variant is reported as skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from microforge.optimize.baseline import (
    FoldData,
    build_project_model,
    train_project_model,
    training_input,
)

TECHNIQUES = ("float32", "ptq_int8", "ptq_16x8", "dynamic_range", "qat", "magnitude_prune",
              "structured_prune", "distill")

# number format of each variant's .tflite (what its weights/activations are on the device)
FORMATS = {"float32": "float32", "ptq_int8": "int8", "ptq_16x8": "16x8",
           "dynamic_range": "dynamic", "qat": "int8", "magnitude_prune": "int8",
           "structured_prune": "int8", "distill": "int8"}


class TechniqueUnavailable(RuntimeError):
    """The module implementing a technique is not installed/written yet."""


@dataclass
class VariantBuild:
    technique: str
    tflite: bytes
    format: str  # float32 | int8 | 16x8 | dynamic
    params: int  # parameters of the Keras model the .tflite comes from
    note: str = ""  # e.g. "teacher 45,000 parameters"


def _module(name: str):
    try:
        return importlib.import_module(f"microforge.optimize.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"microforge.optimize.{name}":
            raise TechniqueUnavailable(f"microforge.optimize.{name} is not available") from None
        raise


def _copy(model):
    """An independent copy of a Keras model (technique functions may train in place)."""
    import keras

    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    return clone


def quantize(model, data: FoldData, mode: str, project) -> bytes:
    """A .tflite of `model` in `mode`, calibrated on the configured representative set."""
    opt = project.config.optimize
    try:
        ptq = _module("ptq")
    except TechniqueUnavailable:
        from microforge.optimize import quantize as fallback

        if mode == "float32":
            return fallback.convert_float(model)
        if mode == "ptq_int8":
            return fallback.quantize_int8(model, data.x_train, opt.representative_samples,
                                          seed=project.config.split.seed)
        raise
    spec = ptq.RepresentativeSpec(samples=opt.representative_samples,
                                  selection=opt.representative_selection,
                                  seed=project.config.split.seed)
    x_rep = ptq.representative_set(data.x_train, data.y_train, spec)
    return ptq.quantize_variant(model, x_rep, mode)


def predict(tflite: bytes, x: np.ndarray) -> np.ndarray:
    """Float scores (n, classes) of any variant's .tflite."""
    try:
        ptq = _module("ptq")
    except TechniqueUnavailable:
        from microforge.optimize.quantize import predict_int8

        return predict_int8(tflite, x)[0]
    return np.asarray(ptq.predict_variant(tflite, x))


def _params(model) -> int:
    return int(model.count_params())


def _ptq(mode: str) -> Callable[[object, FoldData], VariantBuild]:
    def build(project, data: FoldData) -> VariantBuild:
        tflite = quantize(data.baseline, data, mode, project)
        return VariantBuild(mode, tflite, FORMATS[mode], _params(data.baseline))

    return build


def _qat(project, data: FoldData) -> VariantBuild:
    qat = _module("qat")
    opt, seed = project.config.optimize, project.config.training.seed
    params = qat.QatParams(
        epochs=opt.finetune_epochs, batch_size=project.config.training.batch_size, seed=seed
    )
    tuned = qat.qat_finetune(
        _copy(data.baseline), data.x_train, data.y_train, *data.validation, params
    )
    return VariantBuild("qat", quantize(tuned, data, "ptq_int8", project), "int8", _params(tuned))


def _magnitude(project, data: FoldData) -> VariantBuild:
    mod = _module("prune_magnitude")
    opt = project.config.optimize
    x, transform = training_input(project, data)
    params = mod.MagnitudePruneParams(
        sparsity=opt.prune_sparsity,
        epochs=opt.finetune_epochs,
        batch_size=project.config.training.batch_size,
        seed=project.config.training.seed,
        batch_transform=transform,
    )
    pruned = mod.magnitude_prune(_copy(data.baseline), x, data.y_train, *data.validation, params)
    zeros = sum(int(np.sum(w == 0)) for w in pruned.get_weights())
    tflite = quantize(pruned, data, "ptq_int8", project)
    return VariantBuild(
        "magnitude_prune",
        tflite,
        "int8",
        _params(pruned),
        f"{zeros:,} zero weights (dense kernels still store them)",
    )


def _structured(project, data: FoldData) -> VariantBuild:
    mod = _module("prune_structured")
    opt = project.config.optimize
    x, transform = training_input(project, data)
    params = mod.StructuredPruneParams(
        fraction=opt.prune_channels,
        epochs=opt.finetune_epochs,
        batch_size=project.config.training.batch_size,
        seed=project.config.training.seed,
        batch_transform=transform,
    )
    pruned = mod.prune_channels(_copy(data.baseline), x, data.y_train, *data.validation, params)
    tflite = quantize(pruned, data, "ptq_int8", project)
    return VariantBuild(
        "structured_prune",
        tflite,
        "int8",
        _params(pruned),
        f"{opt.prune_channels:.0%} of the channels removed",
    )


def _distill(project, data: FoldData) -> VariantBuild:
    mod = _module("distill")
    config = project.config
    opt = config.optimize
    teacher = train_project_model(project, data, width=config.model.width * opt.teacher_width)
    student = build_project_model(project, data, width=config.model.width)
    params = mod.DistillParams(
        temperature=opt.temperature,
        alpha=opt.alpha,
        epochs=config.training.epochs,
        learning_rate=config.training.learning_rate,
        batch_size=config.training.batch_size,
        seed=config.training.seed,
        batch_transform=training_input(project, data)[1],
    )
    x = data.train_windows if config.training.augment else data.x_train
    trained = mod.distill(teacher, student, x, data.y_train, *data.validation, params)
    tflite = quantize(trained, data, "ptq_int8", project)
    return VariantBuild(
        "distill",
        tflite,
        "int8",
        _params(trained),
        f"teacher {_params(teacher):,} parameters (width x{opt.teacher_width:g})",
    )


BUILDERS: dict[str, Callable[[object, FoldData], VariantBuild]] = {
    "float32": _ptq("float32"),
    "ptq_int8": _ptq("ptq_int8"),
    "ptq_16x8": _ptq("ptq_16x8"),
    "dynamic_range": _ptq("dynamic_range"),
    "qat": _qat,
    "magnitude_prune": _magnitude,
    "structured_prune": _structured,
    "distill": _distill,
}


def build_variant(technique: str, project, data: FoldData) -> VariantBuild:
    """The variant `technique` of this fold's baseline (TechniqueUnavailable when not built)."""
    return BUILDERS[technique](project, data)
