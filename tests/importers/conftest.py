"""The import tests need the onnx extra (pip install -e '.[onnx]'); CI has it."""

from __future__ import annotations

import pytest

from tests.conftest import require_module


@pytest.fixture(scope="session")
def onnx_stack() -> None:
    for name in ("onnx", "onnxruntime", "onnx2tf", "onnxsim", "tensorflow", "tflite_micro"):
        require_module(name)
