"""Canary vectors: model inputs with the int8 outputs the reference (TFLM) computes for them,
stored in a protected TLV. The device runs them on the new model before confirming it; they
are exact because the compiler is bit-exact with TFLM.

Layout (little-endian): u16 count, u16 input bytes, u16 output bytes, u16 reserved (0), then
count x (input bytes, output bytes)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from microforge.ota.errors import BundleError

MAX_CANARY_BYTES = 16 * 1024


@dataclass(frozen=True)
class Canary:
    inputs: list[bytes]
    outputs: list[bytes]

    def encode(self) -> bytes:
        n_in, n_out = len(self.inputs[0]), len(self.outputs[0])
        body = b"".join(i + o for i, o in zip(self.inputs, self.outputs, strict=True))
        data = struct.pack("<HHHH", len(self.inputs), n_in, n_out, 0) + body
        if len(data) > MAX_CANARY_BYTES:
            raise BundleError(f"canary vectors: {len(data)} B, more than {MAX_CANARY_BYTES} B; "
                              "use fewer (--canaries N)")
        return data


def decode_canary(data: bytes) -> Canary:
    if len(data) < 8:
        raise BundleError("MF_CANARY TLV: shorter than its 8-byte header")
    count, n_in, n_out, _ = struct.unpack_from("<HHHH", data)
    if len(data) != 8 + count * (n_in + n_out):
        raise BundleError(f"MF_CANARY TLV: {len(data)} B does not hold {count} x ({n_in} + "
                          f"{n_out}) B")
    inputs, outputs, off = [], [], 8
    for _ in range(count):
        inputs.append(data[off:off + n_in])
        outputs.append(data[off + n_in:off + n_in + n_out])
        off += n_in + n_out
    return Canary(inputs, outputs)


def model_canary(model: bytes, count: int, seed: int = 0) -> Canary:
    """`count` random int8 inputs of a one-input, one-output int8 model with TFLM's outputs."""
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    interp = tflm_interpreter(model)
    detail = interp.get_input_details(0)
    out_detail = interp.get_output_details(0)
    if np.dtype(detail["dtype"]) != np.int8 or np.dtype(out_detail["dtype"]) != np.int8:
        raise BundleError("canary vectors need an int8-input, int8-output model (microforge "
                          "quantize makes one)")
    rng = np.random.default_rng(seed)
    inputs, outputs = [], []
    for _ in range(count):
        x = rng.integers(-128, 128, size=detail["shape"], dtype=np.int8)
        (y,) = run_tflm(model, [x], interp)[:1]
        inputs.append(x.tobytes())
        outputs.append(np.asarray(y, np.int8).tobytes())
    return Canary(inputs, outputs)
