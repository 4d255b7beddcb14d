"""The optional packages of the import path, and the one line that says how to get them."""

from __future__ import annotations

import importlib
from types import ModuleType

from microforge.errors import ToolchainError

EXTRAS = {"onnx": "onnx", "onnxruntime": "onnx", "onnx2tf": "onnx", "onnxsim": "onnx",
          "tensorflow": "onnx", "torch": "torch"}


def require(module: str) -> ModuleType:
    """Import `module`, or a ToolchainError naming the `pip install` that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRAS.get(module.split(".")[0], "onnx")
        raise ToolchainError(f"importing a model needs the Python package {module!r}: "
                             f"pip install 'microforge[{extra}]'") from exc
