"""Run a generated DSP block (microforge.dsp.c_emit.DspC) on the host: gcc -O2 + ctypes, or
an AddressSanitizer/UBSan executable run as a subprocess (windows and features through files).

    features = CompiledDsp(block.emit_c("mf_dsp")).transform(windows)   # == block.transform
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

_BATCH_C = """/* host batch driver: n windows in a row */
#include "{prefix}.h"

int {prefix}_batch(const float *windows, float *features, long n) {{
    long i;
    for (i = 0; i < n; ++i) {{
        if ({prefix}_features(windows + i * {PREFIX}_WINDOW_LEN * {PREFIX}_CHANNELS,
                              features + i * {PREFIX}_FEATURES) != 0) {{
            return 1;
        }}
    }}
    return 0;
}}
"""



class CompiledDsp:
    """A generated DSP block built for the host. transform(windows) -> features, like the
    Python block's transform (same shape, float32). sanitize=True runs it under ASan/UBSan."""

    def __init__(self, dsp_c, sanitize: bool = False, cflags: tuple[str, ...] = ()) -> None:
        self.dsp_c = dsp_c
        self.sanitize = sanitize
        self.cflags = tuple(cflags)  # extra gcc flags, e.g. ("-DMF_DSP_MUL32",)
        self._tmp = tempfile.TemporaryDirectory(prefix="mf_dsp_")
        self._dir = Path(self._tmp.name)
        self._lib: ctypes.CDLL | None = None
        self._exe: Path | None = None

    def sanitized(self) -> CompiledDsp:
        return CompiledDsp(self.dsp_c, sanitize=True, cflags=self.cflags)

    @property
    def feature_shape(self) -> tuple[int, ...]:
        return tuple(self.dsp_c.feature_shape) or (self.dsp_c.n_features,)

    def transform(self, windows: np.ndarray) -> np.ndarray:
        d = self.dsp_c
        x = np.asarray(windows, dtype=np.float32)
        if x.ndim != 3 or x.shape[1:] != (d.window_len, d.n_channels):
            raise DataError(f"{d.prefix}: windows must be (n, {d.window_len}, {d.n_channels}), "
                            f"got {x.shape}")
        x = np.ascontiguousarray(x)
        out = np.zeros((x.shape[0], d.n_features), dtype=np.float32)
        if self.sanitize:
            out = self._run_sanitized(x)
        elif x.shape[0]:
            status = self._library()[0](x.ctypes.data_as(ctypes.c_void_p),
                                        out.ctypes.data_as(ctypes.c_void_p), x.shape[0])
            if status != 0:
                raise RuntimeError(f"{d.prefix}_features returned non-zero")
        return out.reshape(x.shape[0], *self.feature_shape)

    def _sources(self, name: str, driver: str) -> Path:
        """The block's C and the driver (C text) in a folder of the build directory."""
        src = self._dir / name
        self.dsp_c.write(src)
        (src / f"{self.dsp_c.prefix}_driver.c").write_text(driver, encoding="utf-8")
        return src

    def _library(self) -> tuple:
        if self._lib is None:
            prefix = self.dsp_c.prefix
            src = self._sources("lib", _BATCH_C.format(prefix=prefix, PREFIX=prefix.upper()))
            so = self._dir / f"lib{self.dsp_c.prefix}.so"
            gcc_compile(src, so, ["-O2", "-shared", "-fPIC", *self.cflags])
            lib = ctypes.CDLL(str(so))
            fn = getattr(lib, f"{self.dsp_c.prefix}_batch")
            fn.restype = ctypes.c_int
            fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
            self._lib = lib
            self._fn = fn
        return (self._fn,)

    def _run_sanitized(self, x: np.ndarray) -> np.ndarray:
        if self._exe is None:
            prefix, upper = self.dsp_c.prefix, self.dsp_c.prefix.upper()
            src = self._sources("asan", stream_main(
                f"{prefix}.h", f"{prefix}_features", "float",
                f"{upper}_WINDOW_LEN * {upper}_CHANNELS", "float", f"{upper}_FEATURES",
                "windows from argv[1] (float32), features to argv[2]"))
            self._exe = self._dir / "dsp_asan"
            gcc_compile(src, self._exe, [*self.cflags, *SANITIZER_FLAGS])
        (self._dir / "in.bin").write_bytes(x.tobytes())
        result = subprocess.run([str(self._exe), str(self._dir / "in.bin"),
                                 str(self._dir / "out.bin")],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or "runtime error" in result.stderr:
            raise RuntimeError(f"sanitized DSP run failed ({result.returncode}):\n"
                               f"{result.stderr[:4000]}")
        raw = np.frombuffer((self._dir / "out.bin").read_bytes(), dtype=np.float32)
        return raw.reshape(x.shape[0], self.dsp_c.n_features).copy()
