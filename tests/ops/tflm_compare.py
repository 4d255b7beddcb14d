"""Helper for generated op tests: compile a .tflite, run it and TFLM on the same random inputs.

int8 must be bit-exact; float32 within rtol 1e-5 / atol 1e-6.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.ir.tflite_reader import read_tflite
from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm_batch
from tests.ops.tflite_build import random_inputs


def op_types(model: bytes) -> list[str]:
    return [op.op_type for op in read_tflite(model).operators]


def assert_matches_tflm(model: bytes, out_dir: Path, n: int = 20, seed: int = 0) -> None:
    compiled = compile_and_load(model, out_dir, "op")
    samples = random_inputs(model, n, seed=seed)
    reference = run_tflm_batch(model, samples)
    for i, (sample, ref) in enumerate(zip(samples, reference, strict=True)):
        ours = compiled.run(sample)
        for a, b in zip(ours, ref, strict=True):
            assert a.shape == b.shape and a.dtype == b.dtype
            if a.dtype == np.float32:
                np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=f"sample {i}")
            else:
                diff = int(np.abs(a.astype(np.int32) - b.astype(np.int32)).max())
                assert diff == 0, f"sample {i}: {int((a != b).sum())} values differ (max {diff})"
