"""PyTorch in: an nn.Module -> ONNX (torch.onnx.export, the TorchScript exporter: no extra
package, fixed shapes) -> `import_onnx`."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from microforge.errors import ModelError
from microforge.importers.deps import require
from microforge.importers.onnx_import import ImportedModel, import_onnx

OPSET = 17


def export_onnx(module: Any, example_input: Any, path: str | os.PathLike[str]) -> Path:
    """Write `module` (evaluation mode) as ONNX at the example input's shape (batch 1)."""
    torch = require("torch")
    example = torch.as_tensor(np.asarray(example_input, dtype=np.float32))
    if example.ndim == 0 or example.shape[0] != 1:
        raise ModelError(f"example_input of shape {list(example.shape)}: give one example "
                         f"with a batch axis of 1")
    was_training = module.training
    module.eval()
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
            torch.onnx.export(module, (example,), str(path), dynamo=False, opset_version=OPSET,
                              input_names=["input"], output_names=["output"])
    except Exception as exc:  # the exporter raises many types: all mean "cannot export"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelError(f"torch.onnx.export cannot export {type(module).__name__}: {first}"
                         ) from exc
    finally:
        module.train(was_training)
    return Path(path)


def from_torch(module: Any, example_input: Any, out_dir: str | os.PathLike[str] | None = None,
               name: str = "model", *, calibration: Any = None, quantize: str = "int8",
               **options: Any) -> ImportedModel:
    """`module` -> ONNX -> checked TFLite -> C; as `import_onnx` (calibration in the
    module's input layout, e.g. NCHW / NCW)."""
    if calibration is not None and not isinstance(calibration, str | os.PathLike | np.ndarray):
        calibration = np.asarray(calibration.detach().cpu().numpy()
                                 if hasattr(calibration, "detach") else calibration)
    with tempfile.TemporaryDirectory(prefix="mf_torch_") as tmp:
        onnx_path = export_onnx(module, example_input, Path(tmp) / f"{name}.onnx")
        return import_onnx(onnx_path, out_dir, name, calibration=calibration,
                           quantize=quantize, **options)
