"""GRAPH_ABI_HASH of a model: the compiler's (codegen/blob.py), the hash the blob-mode code
of the model carries in its header and checks in `mf_<name>_set_blob`. It covers exactly what
firmware compiled for one architecture depends on (ops, shapes, dtypes, the code's constants
that training does not change, the blob layout, the arena size) and none of the trained
values, so a retraining of the same architecture keeps it and a different architecture does
not. A bundle carries it in its MF_ABI_HASH TLV; the device refuses another one (`abi`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from microforge.codegen.compiler import CompileInfo, compile_model


def compile_blob(model: bytes | Path) -> CompileInfo:
    """The model compiled in the blob mode (temp folder, removed): its blob and ABI hash."""
    info = compile_model(model, weights="blob")
    shutil.rmtree(info.out_dir.parent, ignore_errors=True)
    return info


def graph_abi_hash(model: bytes | Path) -> bytes:
    """The 32-byte GRAPH_ABI_HASH of a .tflite model (its bytes, or its path: errors then
    name the file)."""
    abi = compile_blob(model).abi_hash
    assert abi is not None
    return abi
