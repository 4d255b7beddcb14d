"""Run a generated streaming pipeline on the host: gcc -O2 shared library + ctypes.

    host = HostPipeline(library)          # a microforge.library.assemble.PipelineLibrary
    decisions = host.run(signal)          # init, push every sample, one Decision per window
"""

from __future__ import annotations

import ctypes
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from microforge.errors import DataError
from microforge.postprocess.decide import Decision
from microforge.runners.host import gcc_compile

if TYPE_CHECKING:
    from microforge.runners.pipeline_mcu import PipelineSources


class _Result(ctypes.Structure):
    """mf_pp_result (runtime/pipeline/mf_postprocess.h)."""

    _fields_ = [("window", ctypes.c_uint32), ("end_sample", ctypes.c_uint32),
                ("label", ctypes.c_int32), ("score", ctypes.c_float),
                ("detected", ctypes.c_int32), ("scores", ctypes.c_void_p)]


_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.POINTER(_Result), ctypes.c_void_p)


class HostPipeline:
    """The C pipeline of a compiled library, callable from Python with the Python API's types."""

    def __init__(self, library: PipelineSources, opt: str = "-O2",
                 prebuilt: Path | None = None) -> None:
        """`prebuilt`: the shared library another HostPipeline of the same library built
        (`so_path`), copied (its own file: its own static state) instead of compiled again."""
        self.name = library.name
        self.channels = library.constants.channels
        self._build = tempfile.TemporaryDirectory(prefix="mf_pipeline_host_")
        so = Path(self._build.name) / f"lib{self.name}_pipeline.so"
        if prebuilt is None:
            gcc_compile(Path(library.out_dir), so, [opt, "-shared", "-fPIC"])
        else:
            shutil.copyfile(prebuilt, so)
        self.so_path = so
        self._lib = ctypes.CDLL(str(so))
        prefix = f"mf_{self.name}_pipeline"
        self._init = getattr(self._lib, f"{prefix}_init")
        self._init.argtypes, self._init.restype = [_CALLBACK, ctypes.c_void_p], ctypes.c_int
        self._push_f32 = getattr(self._lib, f"{prefix}_push_f32")
        self._push_f32.argtypes = [ctypes.POINTER(ctypes.c_float), ctypes.c_size_t]
        self._push_f32.restype = ctypes.c_int
        self._push_s16 = getattr(self._lib, f"{prefix}_push")
        self._push_s16.argtypes = [ctypes.POINTER(ctypes.c_int16), ctypes.c_size_t]
        self._push_s16.restype = ctypes.c_int
        self._label = getattr(self._lib, f"{prefix}_label")
        self._label.argtypes, self._label.restype = [ctypes.c_int32], ctypes.c_char_p
        self._pending: list[Decision] = []
        self._callback = _CALLBACK(self._collect)  # kept alive as long as self
        self.init()

    def _collect(self, result, _user) -> None:
        r = result.contents
        self._pending.append(Decision(int(r.window), int(r.end_sample), int(r.label),
                                      float(r.score), bool(r.detected)))

    def init(self) -> None:
        self._pending = []
        if self._init(self._callback, None) != 0:
            raise RuntimeError(f"mf_{self.name}_pipeline_init failed")

    def label(self, index: int) -> str:
        return self._label(index).decode("utf-8")

    def push(self, samples: np.ndarray, chunk: int | None = None) -> list[Decision]:
        """float samples (n, channels) or interleaved; `chunk` frames per C call (None: all)."""
        flat = np.ascontiguousarray(np.asarray(samples, dtype=np.float32).reshape(-1))
        return self._push(flat, self._push_f32, ctypes.c_float, chunk)

    def push_int16(self, samples: np.ndarray, chunk: int | None = None) -> list[Decision]:
        flat = np.ascontiguousarray(np.asarray(samples, dtype=np.int16).reshape(-1))
        return self._push(flat, self._push_s16, ctypes.c_int16, chunk)

    def run(self, signal: np.ndarray) -> list[Decision]:
        self.init()
        return self.push(signal)

    def _push(self, flat: np.ndarray, fn, ctype, chunk: int | None) -> list[Decision]:
        if flat.size % self.channels:
            raise DataError(f"{flat.size} samples are not whole frames of {self.channels} "
                            "channels")
        step = flat.size if chunk is None else max(1, chunk) * self.channels
        self._pending = []
        for start in range(0, max(flat.size, 1), max(step, 1)):
            part = flat[start:start + step]
            status = fn(part.ctypes.data_as(ctypes.POINTER(ctype)), part.size)
            if status < 0:
                raise RuntimeError(f"mf_{self.name}_pipeline_push returned {status}")
        done, self._pending = self._pending, []
        return done
