"""Run generated C on the host: build a shared library with gcc, call it through ctypes.

`CompiledModel` mirrors the TFLM interpreter (set_input / invoke / get_output, and
input/output details) so tests can swap one for the other.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from microforge.codegen.compiler import CompileInfo, ModelSource, compile_model
from microforge.errors import MicroforgeError, ToolchainError
from microforge.ir.tensor import DTYPE_C, DTYPE_NUMPY
from microforge.memory import MemoryPlan
from microforge.runners.sizes import WARNING_FLAGS, measure_library


def c_sources(out_dir: Path) -> list[Path]:
    return sorted(out_dir.glob("*.c"))


def gcc_compile(out_dir: Path, output: Path, extra: list[str]) -> None:
    """Compile every .c of out_dir with the system gcc and strict warnings."""
    gcc = shutil.which("gcc")
    if gcc is None:
        raise ToolchainError("gcc not found: install gcc to build and run generated C on the host")
    cmd = [gcc, *WARNING_FLAGS, *extra, "-I", str(out_dir), *map(str, c_sources(out_dir)),
           "-o", str(output), "-lm"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"gcc failed on generated code in {out_dir}:\n{result.stderr[:4000]}")


# gcc flags of every AddressSanitizer/UBSan build of generated C (any finding aborts the run)
SANITIZER_FLAGS = ("-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                   "-fno-omit-frame-pointer")

_MAIN_TEMPLATE = """/* sanitizer harness: read inputs from argv[1], run, write outputs to argv[2] */
#include <stdio.h>
#include <stdlib.h>
#include "{name}.h"

int main(int argc, char **argv) {{
    FILE *f;
{decls}
{blob}    if (argc < 3 || (f = fopen(argv[1], "rb")) == NULL) {{
        return 3;
    }}
{reads}
    fclose(f);
    if (mf_{name}_invoke({args}) != 0) {{
        return 4;
    }}
    if ((f = fopen(argv[2], "wb")) == NULL) {{
        return 5;
    }}
{writes}
    fclose(f);
    return 0;
}}
"""


def sanitizer_main(info: CompileInfo) -> str:
    """A C main() for the model that moves raw input/output bytes through two files."""
    decls, reads, writes, args = [], [], [], []
    in_arena, out_arena = info.inputs_in_arena, info.outputs_in_arena
    for d in info.inputs:
        buf = f"mf_{info.name}_input{d.position}()" if in_arena else f"input{d.position}"
        if not in_arena:
            decls.append(f"    static {DTYPE_C[d.dtype]} input{d.position}[{max(d.size, 1)}];")
            args.append(buf)
        reads.append(f"    if (fread({buf}, {np.dtype(DTYPE_NUMPY[d.dtype]).itemsize}, {d.size}, f)"
                     f" != {d.size}) {{ fclose(f); return 3; }}")
    for d in info.outputs:
        buf = f"mf_{info.name}_output{d.position}()" if out_arena else f"output{d.position}"
        if not out_arena:
            decls.append(f"    static {DTYPE_C[d.dtype]} {buf}[{max(d.size, 1)}];")
            args.append(buf)
        writes.append(f"    fwrite({buf}, {np.dtype(DTYPE_NUMPY[d.dtype]).itemsize}, {d.size}, f);")
    blob = _BLOB_READ.format(name=info.name, macro=f"MF_{info.name.upper()}") \
        if info.weights == "blob" else ""
    return _MAIN_TEMPLATE.format(name=info.name, decls="\n".join(decls), reads="\n".join(reads),
                                 writes="\n".join(writes), args=", ".join(args), blob=blob)


# the blob (argv[3]) into a static 8-byte aligned buffer of exactly its file's length
_BLOB_READ = """    static union {{ uint64_t align; uint8_t bytes[{macro}_BLOB_SIZE + 64]; }} blob;
    size_t blob_len;
    if (argc != 4 || (f = fopen(argv[3], "rb")) == NULL) {{
        return 3;
    }}
    blob_len = fread(blob.bytes, 1, sizeof blob.bytes, f);
    fclose(f);
    if (mf_{name}_set_blob(blob.bytes, blob_len) != 0) {{
        return 6;
    }}
"""


# invoke's status when a CIRCULAR_BUFFER ended it early (MF_CIRCULAR_BUFFER_WAITING)
STOPPED_EARLY = 17

class CompiledModel:
    """A compiled model on the host. Built lazily on the first invoke().

    sanitize=True builds a standalone executable with -fsanitize=address,undefined and runs
    each invoke() as a subprocess (inputs and outputs through files); any sanitizer report
    fails the invoke.
    """

    def __init__(self, info: CompileInfo, sanitize: bool = False) -> None:
        self.info = info
        self.sanitize = sanitize
        self._exe: Path | None = None
        self.last_status = 0  # of the last invoke: 0, or STOPPED_EARLY
        self._inputs = [np.zeros(d.shape, DTYPE_NUMPY[d.dtype]) for d in info.inputs]
        self._outputs = [np.zeros(d.shape, DTYPE_NUMPY[d.dtype]) for d in info.outputs]
        self._lib: ctypes.CDLL | None = None
        self._build_dir: tempfile.TemporaryDirectory[str] | None = None
        self._blob: np.ndarray | None = None  # 8-byte aligned copy the C code points into
        self._blob_given = False
        if info.blob is not None:
            self._blob = _aligned(info.blob)

    # -- model blob (compile_model(..., weights="blob")) --------------------------------------
    def set_blob(self, blob: bytes) -> int:
        """Give the model another blob (a retrained model's); returns the status of
        mf_<name>_set_blob (0: ok, else BLOB_STATUS: then invoke fails until a good one)."""
        if self.info.weights != "blob":
            raise ValueError("this model was compiled with its weights baked in; compile it "
                             "with weights='blob' to load blobs")
        self._blob = _aligned(blob)
        self._blob_given = True
        if self.sanitize:
            return 0
        return self._load_blob(self._library())

    def _load_blob(self, lib: ctypes.CDLL) -> int:
        assert self._blob is not None
        fn = getattr(lib, f"mf_{self.info.name}_set_blob")
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        return int(fn(self._blob.ctypes.data, len(self._blob)))

    # -- what the compiler produced -----------------------------------------------------------
    @property
    def out_dir(self) -> Path:
        return Path(self.info.out_dir)

    @property
    def arena_size(self) -> int:
        return int(self.info.arena_size)

    @property
    def memory_plan(self) -> MemoryPlan:
        return self.info.plan

    @property
    def weight_bytes(self) -> int:
        return int(self.info.weight_bytes)

    def flash_estimate(self, cortex_m: bool = True) -> int:
        """Flash bytes (text + data) of the generated library compiled with -Os: for a
        Cortex-M4 when arm-none-eabi-gcc is installed (and cortex_m), else for the host."""
        sizes = measure_library(self.out_dir, lambda _: "library", cortex_m,
                                arm_flags=["-mcpu=cortex-m4", "-mthumb"])
        return sizes.total.flash_bytes

    # -- TFLM-like interpreter API ------------------------------------------------------------
    def input_details(self, i: int = 0) -> dict:
        return self.info.inputs[i].as_dict()

    def output_details(self, i: int = 0) -> dict:
        return self.info.outputs[i].as_dict()

    get_input_details = input_details
    get_output_details = output_details

    def set_input(self, first: Any, second: Any = 0) -> None:
        """set_input(i, array), or TFLM's order set_input(array, i)."""
        if isinstance(first, (int, np.integer)) and not isinstance(second, (int, np.integer)):
            i, array = int(first), second
        else:
            i, array = int(second), first
        detail = self.info.inputs[i]
        value = np.asarray(array)
        if value.size != detail.size:
            raise ValueError(f"input {i} needs {detail.size} values of shape {list(detail.shape)},"
                             f" got shape {list(value.shape)}")
        self._inputs[i] = np.ascontiguousarray(value.reshape(detail.shape),
                                               dtype=DTYPE_NUMPY[detail.dtype])

    @property
    def _inputs_in_arena(self) -> bool:
        return self.info.inputs_in_arena

    @property
    def _outputs_in_arena(self) -> bool:
        return self.info.outputs_in_arena

    def sanitized(self) -> CompiledModel:
        """The same compiled model (and blob), run under AddressSanitizer and UBSan."""
        other = CompiledModel(self.info, sanitize=True)
        other._blob = self._blob
        return other

    def invoke(self) -> None:
        if self.sanitize:
            self._invoke_sanitized()
            return
        lib = self._library()
        name = self.info.name
        callers: list[np.ndarray] = []
        if self._inputs_in_arena:  # copy the inputs into the arena, as a device would
            for i, value in enumerate(self._inputs):
                target = getattr(lib, f"mf_{name}_input{i}")()
                ctypes.memmove(target, value.ctypes.data, value.nbytes)
        else:
            callers += self._inputs
        if not self._outputs_in_arena:
            callers += self._outputs
        args = [a.ctypes.data_as(ctypes.c_void_p) for a in callers]
        status = getattr(lib, f"mf_{name}_invoke")(*args)
        self.last_status = int(status)
        if status not in (0, STOPPED_EARLY):
            raise RuntimeError(f"mf_{name}_invoke returned {status}")
        if self._outputs_in_arena:  # copy the outputs out of the arena
            for i, value in enumerate(self._outputs):
                source = getattr(lib, f"mf_{name}_output{i}")()
                ctypes.memmove(value.ctypes.data, source, value.nbytes)

    @property
    def stopped_early(self) -> bool:
        """The last invoke ended at a CIRCULAR_BUFFER that waits for more input (TFLM's
        kTfLiteAbort): the outputs after it were not computed."""
        return self.last_status == STOPPED_EARLY

    def get_output(self, i: int = 0) -> np.ndarray:
        return self._outputs[i].copy()

    def reset(self) -> None:
        """mf_<name>_reset(): forget the state a recurrent model keeps between invokes (as
        TFLM's interpreter.reset()). A sanitized model starts from a reset state every invoke
        (each runs in its own process)."""
        if not self.sanitize:
            getattr(self._library(), f"mf_{self.info.name}_reset")()

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        """set_input for each, invoke, return every output (like run_tflm)."""
        for i, value in enumerate(inputs):
            self.set_input(i, value)
        self.invoke()
        return [self.get_output(i) for i in range(len(self._outputs))]

    def _invoke_sanitized(self) -> None:
        exe = self._executable()
        folder = exe.parent
        (folder / "in.bin").write_bytes(b"".join(a.tobytes() for a in self._inputs))
        blob_arg = []
        if self._blob is not None:
            (folder / "model.blob").write_bytes(self._blob.tobytes())
            blob_arg = [str(folder / "model.blob")]
        result = subprocess.run([str(exe), str(folder / "in.bin"), str(folder / "out.bin"),
                                 *blob_arg],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or "runtime error" in result.stderr:
            raise RuntimeError(f"sanitized run failed ({result.returncode}):\n"
                               f"{result.stderr[:4000]}")
        raw = (folder / "out.bin").read_bytes()
        offset = 0
        for i, out in enumerate(self._outputs):
            n = out.nbytes
            self._outputs[i] = np.frombuffer(raw[offset:offset + n], out.dtype).reshape(
                out.shape).copy()
            offset += n

    def _executable(self) -> Path:
        if self._exe is None:
            self._build_dir = tempfile.TemporaryDirectory(prefix="mf_asan_")
            folder = Path(self._build_dir.name)
            src = folder / "src"
            shutil.copytree(self.out_dir, src)
            (src / "mf_sanitizer_main.c").write_text(sanitizer_main(self.info), encoding="utf-8")
            exe = folder / "model_asan"
            gcc_compile(src, exe, list(SANITIZER_FLAGS))
            self._exe = exe
        return self._exe

    # -- building -----------------------------------------------------------------------------
    def _library(self) -> ctypes.CDLL:
        if self._lib is None:
            features = getattr(self.info, "features", None)
            if features is not None and features.core != "host":
                raise MicroforgeError(f"{self.info.out_dir}: compiled for {features.describe()}"
                                      " (its kernel variants); run it on that core, or compile"
                                      " with target='host' to run on the host")
            self._build_dir = tempfile.TemporaryDirectory(prefix="mf_host_")
            so = Path(self._build_dir.name) / f"lib{self.info.name}.so"
            gcc_compile(self.out_dir, so, ["-O3", "-shared", "-fPIC"])
            lib = ctypes.CDLL(str(so))
            fn = getattr(lib, f"mf_{self.info.name}_invoke")
            fn.restype = ctypes.c_int
            n_inputs = 0 if self._inputs_in_arena else len(self._inputs)
            n_outputs = 0 if self._outputs_in_arena else len(self._outputs)
            fn.argtypes = [ctypes.c_void_p] * (n_inputs + n_outputs)
            accessors = ([f"input{i}" for i in range(len(self._inputs))]
                         if self._inputs_in_arena else [])
            accessors += ([f"output{i}" for i in range(len(self._outputs))]
                          if self._outputs_in_arena else [])
            for which in accessors:
                accessor = getattr(lib, f"mf_{self.info.name}_{which}")
                accessor.restype = ctypes.c_void_p
                accessor.argtypes = []
            if self._blob is not None:
                status = self._load_blob(lib)
                if status != 0 and not self._blob_given:
                    raise RuntimeError(f"mf_{self.info.name}_set_blob refused the model's own "
                                       f"blob ({status})")
            self._lib = lib
        return self._lib


def _aligned(blob: bytes) -> np.ndarray:
    """The blob's bytes in an 8-byte aligned buffer (what mf_<name>_set_blob requires)."""
    words = np.zeros(-(-len(blob) // 8) or 1, dtype=np.uint64)
    view = words.view(np.uint8)[:len(blob)]
    view[:] = np.frombuffer(bytes(blob), dtype=np.uint8)
    return view


def compile_and_load(model: ModelSource, out_dir: str | os.PathLike[str] | None = None,
                     name: str = "model", **options: Any) -> CompiledModel:
    """`compile_model` (same arguments), then the result loaded to run on the host."""
    return CompiledModel(compile_model(model, out_dir, name, **options))
