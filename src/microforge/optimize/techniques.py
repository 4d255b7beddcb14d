"""Each configured technique -> one deployable .tflite, through the technique modules.

The technique functions live in optimize/ptq.py, qat.py, prune_magnitude.py,
prune_structured.py and distill.py; this module only feeds them a fold's data and settings.
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
from microforge.workspace.data import ProjectData

TECHNIQUES = ("float32", "ptq_int8", "ptq_16x8", "dynamic_range", "qat", "magnitude_prune",
              "structured_prune", "distill")

# number format of each variant's .tflite (what its weights/activations are on the device)
FORMATS = {"float32": "float32", "ptq_int8": "int8", "ptq_16x8": "16x8",
           "dynamic_range": "dynamic", "qat": "int8", "magnitude_prune": "int8",
           "structured_prune": "int8", "distill": "int8"}


@dataclass
class VariantBuild:
    technique: str
    tflite: bytes
    format: str  # float32 | int8 | 16x8 | dynamic
    params: int  # parameters of the Keras model the .tflite comes from
    note: str = ""  # e.g. "teacher 45,000 parameters"


def _module(name: str):
    """A technique module, imported on use (they import TensorFlow)."""
    return importlib.import_module(f"microforge.optimize.{name}")


def _copy(model):
    """An independent copy of a Keras model (technique functions may train in place)."""
    import keras

    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    return clone


def representative(data: FoldData, project: ProjectData) -> np.ndarray:
    """The configured representative set of this fold's training features."""
    from microforge.optimize import ptq

    opt = project.config.optimize
    spec = ptq.RepresentativeSpec(samples=opt.representative_samples,
                                  selection=opt.representative_selection,
                                  seed=project.config.split.seed)
    return ptq.representative_set(data.x_train, data.y_train, spec)


def quantize(model, data: FoldData, mode: str, project: ProjectData) -> bytes:
    """A .tflite of `model` in `mode`, calibrated on the configured representative set."""
    from microforge.optimize import ptq

    return ptq.quantize_variant(model, representative(data, project), mode)


def predict(tflite: bytes, x: np.ndarray) -> np.ndarray:
    """Float scores (n, classes) of any variant's .tflite."""
    return np.asarray(_module("ptq").predict_variant(tflite, x))


def _params(model) -> int:
    return int(model.count_params())


def _ptq(mode: str) -> Callable[[ProjectData, FoldData], VariantBuild]:
    def build(project: ProjectData, data: FoldData) -> VariantBuild:
        tflite = quantize(data.baseline, data, mode, project)
        return VariantBuild(mode, tflite, FORMATS[mode], _params(data.baseline))

    return build


def _qat(project: ProjectData, data: FoldData) -> VariantBuild:
    qat = _module("qat")
    opt, seed = project.config.optimize, project.config.training.seed
    # QAT needs a training-size learning rate to move weights onto the int8 grid (1e-4 did
    # not recover large PTQ losses on UCI HAR; docs/optimize.md), and the ranges are
    # calibrated on the same representative set as the PTQ variants.
    params = qat.QatParams(
        epochs=opt.finetune_epochs, learning_rate=project.config.training.learning_rate,
        batch_size=project.config.training.batch_size, seed=seed
    )
    tuned = qat.qat_finetune(
        _copy(data.baseline), data.x_train, data.y_train, *data.validation, params,
        x_rep=representative(data, project),
    )
    return _int8("qat", tuned, data, project, "")


def _training_settings(project: ProjectData, data: FoldData) -> tuple[np.ndarray, dict]:
    """What every fine-tuning technique trains on, and the [training] settings it shares:
    learning rate (the pruning defaults of 5e-4/1e-4 left 2-3 points on UCI HAR after removing
    half the channels), batch size, seed and the per-batch augmentation."""
    x, transform = training_input(project, data)
    training = project.config.training
    return x, dict(learning_rate=training.learning_rate, batch_size=training.batch_size,
                   seed=training.seed, batch_transform=transform)


def _int8(technique: str, model, data: FoldData, project, note: str) -> VariantBuild:
    """The trained variant, quantized to full int8 on the configured representative set."""
    tflite = quantize(model, data, "ptq_int8", project)
    return VariantBuild(technique, tflite, "int8", _params(model), note)


def _magnitude(project: ProjectData, data: FoldData) -> VariantBuild:
    mod = _module("prune_magnitude")
    opt = project.config.optimize
    x, settings = _training_settings(project, data)
    params = mod.MagnitudePruneParams(sparsity=opt.prune_sparsity, epochs=opt.finetune_epochs,
                                      **settings)
    pruned = mod.magnitude_prune(_copy(data.baseline), x, data.y_train, *data.validation, params)
    zeros = sum(int(np.sum(w == 0)) for w in pruned.get_weights())
    return _int8("magnitude_prune", pruned, data, project,
                 f"{zeros:,} zero weights (dense kernels still store them)")


def _structured(project: ProjectData, data: FoldData) -> VariantBuild:
    mod = _module("prune_structured")
    opt = project.config.optimize
    x, settings = _training_settings(project, data)
    params = mod.StructuredPruneParams(fraction=opt.prune_channels, epochs=opt.finetune_epochs,
                                       **settings)
    pruned = mod.prune_channels(_copy(data.baseline), x, data.y_train, *data.validation, params)
    return _int8("structured_prune", pruned, data, project,
                 f"{opt.prune_channels:.0%} of the channels removed")


def _distill(project: ProjectData, data: FoldData) -> VariantBuild:
    mod = _module("distill")
    config = project.config
    opt = config.optimize
    teacher = train_project_model(project, data, width=config.model.width * opt.teacher_width)
    student = build_project_model(project, data, width=config.model.width)
    x, settings = _training_settings(project, data)
    params = mod.DistillParams(temperature=opt.temperature, alpha=opt.alpha,
                               epochs=config.training.epochs, **settings)
    trained = mod.distill(teacher, student, x, data.y_train, *data.validation, params)
    return _int8("distill", trained, data, project,
                 f"teacher {_params(teacher):,} parameters (width x{opt.teacher_width:g})")


BUILDERS: dict[str, Callable[[ProjectData, FoldData], VariantBuild]] = {
    "float32": _ptq("float32"),
    "ptq_int8": _ptq("ptq_int8"),
    "ptq_16x8": _ptq("ptq_16x8"),
    "dynamic_range": _ptq("dynamic_range"),
    "qat": _qat,
    "magnitude_prune": _magnitude,
    "structured_prune": _structured,
    "distill": _distill,
}


def build_variant(technique: str, project: ProjectData, data: FoldData) -> VariantBuild:
    """The variant `technique` of this fold's baseline (MicroforgeError when it cannot be built)."""
    return BUILDERS[technique](project, data)
