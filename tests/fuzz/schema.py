"""The TFLite flatbuffer schema's object API (ModelT, TensorT, OperatorT...) for tests that
rebuild models: the generated module shipped with TensorFlow, loaded from its file so that
TensorFlow itself is not imported (it needs only `flatbuffers`)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


@functools.cache
def schema() -> ModuleType:
    spec = importlib.util.find_spec("tensorflow")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("tensorflow (for its TFLite schema module) is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "lite/python/schema_py_generated.py"
    loader = importlib.util.spec_from_file_location("mf_tflite_schema", path)
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module


def unpack(data: bytes) -> Any:
    """The model as mutable objects (ModelT)."""
    return schema().ModelT.InitFromPackedBuf(bytearray(data), 0)


def pack(model: Any) -> bytes:
    import flatbuffers

    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def buffer_data(model: Any, tensor: Any) -> Any:
    """The tensor's constant data (a numpy uint8 array) or None."""
    buf = model.buffers[tensor.buffer] if 0 <= tensor.buffer < len(model.buffers) else None
    data = None if buf is None else buf.data
    return None if data is None or len(data) == 0 else data
