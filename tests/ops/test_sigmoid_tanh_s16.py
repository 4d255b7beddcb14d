"""The int16 sigmoid/tanh kernel (runtime/kernels/sigmoid_tanh_s16.c): its table is TFLite's,
measured again here from TFLM's own int16 TANH, and the kernel equals TFLM on every int16
input for the scalings the LSTM uses."""

from __future__ import annotations

import ctypes
import re
import subprocess

import numpy as np
import pytest

from microforge.paths import RUNTIME_DIR
from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

KERNEL = RUNTIME_DIR / "kernels" / "sigmoid_tanh_s16.c"
# input scale 1/6144: TFLM's TanhPrepare scales x by exactly 2 (multiplier 16384, shift 13),
# so x = 128 k lands on node k of the table, where tanh returns table[k] - 32768 exactly
NODE_SCALE = 1.0 / 6144.0


def _int16_model(op_type: str, n: int, in_scale: float, out_scale: float) -> bytes:
    tensors = [RawTensor((n,), "int16", (in_scale, 0)), RawTensor((n,), "int16", (out_scale, 0))]
    return raw_tflite(tensors, [RawOp(op_type, (0,), (1,))], [0], [1])


def _tflm(model: bytes, x: np.ndarray) -> np.ndarray:
    from microforge.runners.tflm import run_tflm

    return run_tflm(model, [x])[0]


def _kernel_table() -> list[int]:
    body = KERNEL.read_text().split("mf_sigmoid_table_q16[256] = {", 1)[1].split("};", 1)[0]
    return [int(v) for v in re.findall(r"\d+", body)]


def test_the_table_is_tflms(tflm) -> None:
    x = np.concatenate([128 * np.arange(255), [254 * 128 + 127]]).astype(np.int16)
    out = _tflm(_int16_model("TANH", x.size, NODE_SCALE, 2.0 ** -15), x).astype(np.int64)
    table = [int(v) + 32768 for v in out[:255]]
    # the last entry only enters as the right end of segment 254: 2x = 254 * 256 + 254
    last_step = int(out[255]) - (table[254] - 32768)
    step = next(d for d in range(4) if (254 * d + 128) // 256 == last_step)
    table.append(table[254] + step)
    assert _kernel_table() == table


@pytest.fixture(scope="module")
def kernel(tmp_path_factory) -> ctypes.CDLL:
    folder = tmp_path_factory.mktemp("s16")
    so = folder / "libs16.so"
    subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2",
                    "-shared", "-fPIC", f"-I{KERNEL.parent}", str(KERNEL), "-o", str(so)],
                   check=True)
    lib = ctypes.CDLL(str(so))
    for fn in (lib.mf_sigmoid_s16, lib.mf_tanh_s16):
        fn.argtypes = [ctypes.c_int32, ctypes.c_int32, ctypes.c_int32, ctypes.c_void_p,
                       ctypes.c_void_p]
    return lib


def _run(fn, x: np.ndarray, multiplier: int, shift: int) -> np.ndarray:
    out = np.zeros_like(x)
    fn(x.size, multiplier, shift, x.ctypes.data, out.ctypes.data)
    return out


EVERY_INT16 = np.arange(-32768, 32768, dtype=np.int16)


@pytest.mark.parametrize(("op_type", "in_scale", "multiplier", "shift"), [
    ("TANH", 2.0 ** -12, 0, 0),     # the LSTM's gate tanh (Q3.12 in)
    ("TANH", 2.0 ** -14, 3, 2),     # tanh of a cell state at scale 2^-14
    ("LOGISTIC", 2.0 ** -12, 0, 0),  # the LSTM's gates
    ("TANH", NODE_SCALE, 16384, 13),
])
def test_every_int16_input_matches_tflm(tflm, kernel, op_type: str, in_scale: float,
                                        multiplier: int, shift: int) -> None:
    fn = kernel.mf_tanh_s16 if op_type == "TANH" else kernel.mf_sigmoid_s16
    expected = _tflm(_int16_model(op_type, EVERY_INT16.size, in_scale, 2.0 ** -15), EVERY_INT16)
    got = _run(fn, EVERY_INT16, multiplier, shift)
    mismatch = np.flatnonzero(got != expected)
    assert mismatch.size == 0, f"{mismatch.size} inputs differ, first {EVERY_INT16[mismatch[:3]]}"
