"""Shared fixtures: the third-party reference data, and skips that say why."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from microforge.paths import shared_data_dir


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (or $MICROFORGE_DATA). Skips with a reason where absent; fails in CI."""
    path = shared_data_dir()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have ../shared/data (or MICROFORGE_DATA)")
        pytest.skip("../shared/data not found; set MICROFORGE_DATA to run tests on real data")
    return path


def require_module(name: str) -> None:
    """Skip (locally) or fail (CI) when an optional package is missing."""
    if importlib.util.find_spec(name) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have the Python package {name!r}")
        pytest.skip(f"needs the Python package {name!r} (pip install -e '.[train,reference]')")


@pytest.fixture(scope="session")
def tf():
    require_module("tensorflow")
    import tensorflow

    return tensorflow


@pytest.fixture(scope="session")
def tflm():
    require_module("tflite_micro")
    import tflite_micro

    return tflite_micro


@pytest.fixture(scope="session")
def onnx_stack() -> None:
    """The ONNX import path (pip install -e '.[onnx]'); CI has it."""
    for name in ("onnx", "onnxruntime", "onnx2tf", "onnxsim", "tensorflow", "tflite_micro"):
        require_module(name)
