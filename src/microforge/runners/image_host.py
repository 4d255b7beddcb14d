"""Run a generated image block's frame functions on the host (gcc + ctypes, or an
AddressSanitizer/UBSan executable): frames in, uint8 pixels / int8 model input out.

    pixels = CompiledImage(block.emit_c("mf_cam")).frame_pixels(frames)   # == block.frame_pixels
"""

from __future__ import annotations

import ctypes
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from microforge.errors import DataError
from microforge.runners.host import SANITIZER_FLAGS, gcc_compile
from microforge.runners.stream_main import stream_main


class CompiledImage:
    """The frame functions of a generated image block (microforge.dsp.c_emit.DspC)."""

    def __init__(self, dsp_c, sanitize: bool = False) -> None:
        self.dsp_c = dsp_c
        self.sanitize = sanitize
        self._tmp = tempfile.TemporaryDirectory(prefix="mf_img_")
        self._dir = Path(self._tmp.name)
        self._lib: ctypes.CDLL | None = None
        self._exe: Path | None = None
        self.frame_bytes = int(self._define("FRAME_BYTES"))

    def _define(self, name: str) -> str:
        header = self.dsp_c.files[f"{self.dsp_c.prefix}.h"]
        key = f"#define {self.dsp_c.prefix.upper()}_{name} "
        return next(line[len(key):] for line in header.splitlines() if line.startswith(key))

    @property
    def pixel_shape(self) -> tuple[int, ...]:
        return tuple(self.dsp_c.feature_shape)

    def frame_pixels(self, frames: list[bytes]) -> np.ndarray:
        """uint8 (n, height, width, channels) of every frame."""
        data = self._frames(frames)
        if self.sanitize:
            return self._run_sanitized(data, len(frames))
        out = np.zeros((len(frames), self.dsp_c.n_features), np.uint8)
        fn = self._fn("frame_pixels")
        for i in range(len(frames)):
            frame = data[i * self.frame_bytes:(i + 1) * self.frame_bytes]
            fn(frame.ctypes.data_as(ctypes.c_void_p), out[i].ctypes.data_as(ctypes.c_void_p))
        return out.reshape(len(frames), *self.pixel_shape)

    def frame_input(self, frames: list[bytes], lut: np.ndarray) -> np.ndarray:
        """int8 (n, height, width, channels): every frame through `lut` (pixel -> int8)."""
        data = self._frames(frames)
        table = np.ascontiguousarray(np.asarray(lut, np.int8).reshape(256))
        out = np.zeros((len(frames), self.dsp_c.n_features), np.int8)
        fn = self._fn("frame_input")
        for i in range(len(frames)):
            frame = data[i * self.frame_bytes:(i + 1) * self.frame_bytes]
            fn(frame.ctypes.data_as(ctypes.c_void_p), table.ctypes.data_as(ctypes.c_void_p),
               out[i].ctypes.data_as(ctypes.c_void_p))
        return out.reshape(len(frames), *self.pixel_shape)

    def _frames(self, frames: list[bytes]) -> np.ndarray:
        for frame in frames:
            if len(frame) != self.frame_bytes:
                raise DataError(f"{self.dsp_c.prefix}: frames are {self.frame_bytes} bytes, "
                                f"got {len(frame)}")
        return np.frombuffer(b"".join(frames), np.uint8).copy()

    def _fn(self, name: str):
        if self._lib is None:
            src = self._dir / "lib"
            self.dsp_c.write(src)
            so = self._dir / f"lib{self.dsp_c.prefix}.so"
            gcc_compile(src, so, ["-O2", "-shared", "-fPIC"])
            self._lib = ctypes.CDLL(str(so))
        fn = getattr(self._lib, f"{self.dsp_c.prefix}_{name}")
        fn.restype = ctypes.c_int
        return fn

    def _run_sanitized(self, data: np.ndarray, n: int) -> np.ndarray:
        if self._exe is None:
            src = self._dir / "asan"
            self.dsp_c.write(src)
            prefix = self.dsp_c.prefix
            upper = prefix.upper()
            (src / f"{prefix}_main.c").write_text(stream_main(
                f"{prefix}.h", f"{prefix}_frame_pixels", "uint8_t", f"{upper}_FRAME_BYTES",
                "uint8_t", f"{upper}_FEATURES", "frames from argv[1], pixels to argv[2]"),
                encoding="utf-8")
            self._exe = self._dir / "img_asan"
            gcc_compile(src, self._exe, list(SANITIZER_FLAGS))
        (self._dir / "in.bin").write_bytes(data.tobytes())
        result = subprocess.run([str(self._exe), str(self._dir / "in.bin"),
                                 str(self._dir / "out.bin")],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or "runtime error" in result.stderr:
            raise RuntimeError(f"sanitized image run failed ({result.returncode}):\n"
                               f"{result.stderr[:4000]}")
        raw = np.frombuffer((self._dir / "out.bin").read_bytes(), np.uint8)
        return raw.reshape(n, *self.pixel_shape).copy()
