"""The reference: run a .tflite with the TFLM interpreter (`tflite-micro`), measure its arena.

TFLM overwrites the input tensor while it runs, so the input is set again before every invoke.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from microforge.errors import ModelError, ToolchainError


def _runtime():
    try:
        from tflite_micro.python.tflite_micro import runtime
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ToolchainError(
            "the TFLM reference needs the 'tflite-micro' package: pip install 'microforge[reference]'"
        ) from exc
    return runtime


MIN_ARENA_BYTES = 1 << 20


def tflm_interpreter(model: bytes, arena_size: int | None = None):
    """A TFLM interpreter for `model`. The arena defaults to 10x the model size (TFLM's own
    default) but at least 1 MiB, so that small models with large tensors allocate."""
    size = arena_size or max(MIN_ARENA_BYTES, 10 * len(model))
    try:
        return _runtime().Interpreter.from_bytes(bytes(model), arena_size=size)
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"TFLM cannot load the model: {str(exc).splitlines()[0]}") from exc


def run_tflm(model: bytes, inputs: Sequence[np.ndarray], interpreter=None) -> list[np.ndarray]:
    """One invoke with the given inputs (already in the model's input dtypes); returns outputs."""
    interp = interpreter or tflm_interpreter(model)
    for i, value in enumerate(inputs):
        # np.require keeps a 0-d (scalar) input 0-d; ascontiguousarray would make it 1-d
        interp.set_input(np.require(value, requirements="C"), i)
    interp.invoke()
    _, n_out = io_counts(model)
    return [np.array(interp.get_output(i), copy=True) for i in range(n_out)]


def io_counts(model: bytes) -> tuple[int, int]:
    """(number of inputs, number of outputs) of the model's main subgraph."""
    import tflite

    subgraph = tflite.Model.GetRootAsModel(bytes(model), 0).Subgraphs(0)
    return subgraph.InputsLength(), subgraph.OutputsLength()


def run_tflm_batch(model: bytes, batch: Sequence[Sequence[np.ndarray]]) -> list[list[np.ndarray]]:
    """Invoke once per sample (each a list of input arrays), reusing one interpreter."""
    interp = tflm_interpreter(model)
    return [run_tflm(model, sample, interp) for sample in batch]


@dataclass(frozen=True)
class ArenaSize:
    total: int
    head: int  # activation memory
    tail: int  # per-tensor / per-op bookkeeping


_ARENA_RE = re.compile(r"Arena allocation total (\d+) bytes.*?head (\d+) bytes.*?tail (\d+) bytes", re.S)


def tflm_arena_size(model: bytes, inputs: Sequence[np.ndarray] | None = None) -> ArenaSize:
    """Arena bytes measured by TFLM itself (`print_allocations` after one invoke)."""
    interp = tflm_interpreter(model)
    if inputs is None:
        n_in, _ = io_counts(model)
        details = [interp.get_input_details(i) for i in range(n_in)]
        inputs = [np.zeros(d["shape"], d["dtype"]) for d in details]
    run_tflm(model, inputs, interp)
    text = _capture_c_stderr(interp.print_allocations)
    match = _ARENA_RE.search(text)
    if not match:
        raise RuntimeError(f"could not read the TFLM arena size from: {text[:200]!r}")
    return ArenaSize(*(int(g) for g in match.groups()))


def _capture_c_stderr(fn) -> str:
    """Run fn() and return what C code printed on file descriptor 2 (and 1) meanwhile."""
    from microforge.runners.native import captured_native_output

    with captured_native_output() as text:
        fn()
    return text[0]
