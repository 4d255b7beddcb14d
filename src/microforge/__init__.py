"""microforge: a local TinyML toolchain.

Small public surface: `compile()` turns a .tflite into a C library (and a host-runnable
compiled model), `Project` runs the staged pipeline from a microforge.toml.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from microforge.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from microforge.codegen.compiler import ModelSource
    from microforge.project import Project
    from microforge.runners.host import CompiledModel


def compile(model_path: ModelSource | Any, out_dir: str | os.PathLike[str] | None = None,  # noqa: A001
            **kwargs: Any) -> CompiledModel:
    """Compile a .tflite model to C and load it to run on the host (set_input / invoke /
    get_output, as TFLM's interpreter); see `microforge.codegen.compiler.compile_model`.
    A fitted scikit-learn classifier instead compiles to C with a host `predict(X)`
    (`microforge.classical`, docs/classical.md); a fitted anomaly detector (KMeans,
    GaussianMixture, EllipticEnvelope, IsolationForest, or an int8 autoencoder from
    `microforge.train.autoencoder.fit_autoencoder`) to C with `score(X)` / `is_anomaly(X)`,
    its threshold calibrated on `calibration=` normal windows at `false_alarm_rate=`."""
    if not isinstance(model_path, str | bytes | bytearray | os.PathLike):
        # a fitted scikit-learn estimator or an int8 autoencoder (microforge.classical)
        from microforge.classical.autoencoder import is_autoencoder
        from microforge.classical.detector_host import compile_detector
        from microforge.classical.detectors import detector_of
        from microforge.classical.host import compile_and_load_estimator

        if is_autoencoder(model_path) or detector_of(model_path) is not None:  # calibration=
            return compile_detector(model_path, out_dir, **kwargs)  # type: ignore[return-value]
        return compile_and_load_estimator(model_path, out_dir, **kwargs)  # type: ignore[return-value]
    from microforge.runners.host import compile_and_load

    return compile_and_load(model_path, out_dir, **kwargs)


def from_onnx(path: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None,
              **kwargs: Any) -> CompiledModel:
    """An ONNX model -> checked int8 (or `quantize="float"`) TFLite -> C, loaded on the host:
    `calibration=` samples (.npy/.npz/array in the ONNX layout, or a project); see
    `microforge.importers.onnx_import.import_onnx` and docs/pytorch.md."""
    from microforge.importers.onnx_import import import_onnx

    return import_onnx(path, out_dir, **kwargs)


def from_torch(module: Any, example_input: Any, out_dir: str | os.PathLike[str] | None = None,
               **kwargs: Any) -> CompiledModel:
    """A PyTorch nn.Module -> ONNX -> as `from_onnx` (docs/pytorch.md)."""
    from microforge.importers.torch_export import from_torch as _from_torch

    return _from_torch(module, example_input, out_dir, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Project":
        from microforge.project import Project

        return Project
    raise AttributeError(name)


__all__ = ["compile", "from_onnx", "from_torch", "Project", "__version__"]
