"""Opt-in pytest plugin: every model an op test compiles (baked) is also compiled in the blob
mode (docs/compiler.md) and both must give the same outputs on two random inputs.

    .venv/bin/python -m pytest -p tests.ops.blob_mode_check tests/ops -m "not slow"

Not in CI (it doubles the op tests' compile time); run it after changing an op module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import microforge.runners.host as host
from microforge.codegen import compiler

_compile = compiler.compile_model


def _same_in_blob_mode(model: Any, info: compiler.CompileInfo) -> None:
    from tests.ops.tflite_build import random_inputs

    blob = _compile(model, None, info.name, weights="blob", inplace_input=info.inputs_in_arena,
                    inplace_output=info.outputs_in_arena)
    data = bytes(model) if isinstance(model, (bytes, bytearray)) else Path(model).read_bytes()
    baked, from_blob = host.CompiledModel(info), host.CompiledModel(blob)
    for sample in random_inputs(data, 2, seed=3):
        for a, b in zip(baked.run(sample), from_blob.run(sample), strict=True):
            assert np.array_equal(a, b, equal_nan=True), \
                f"{sorted({op.op_type for op in info.ops})}: blob mode differs from baked"


def _checked(model: Any, out_dir: Any = None, name: str = "model",
             **options: Any) -> compiler.CompileInfo:
    info = _compile(model, out_dir, name, **options)
    if options.get("weights", "baked") == "baked":
        _same_in_blob_mode(model, info)
    return info


host.compile_model = _checked  # type: ignore[assignment]
