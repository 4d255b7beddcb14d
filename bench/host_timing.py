"""Host timing helpers: Python call paths (TFLM, CompiledModel) and a C loop around invoke.

Every figure is the median over `repeats` repetitions of the mean time per call within one
repetition; each repetition runs enough calls to last about `seconds`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.ir.tensor import DTYPE_C, DTYPE_NUMPY
from microforge.runners.host import WARNING_FLAGS, CompiledModel, gcc_compile


@dataclass(frozen=True)
class Timing:
    """Per-call microseconds: the median and every repetition's mean."""

    median_us: float
    repetitions_us: tuple[float, ...]
    calls_per_repetition: int


def calls_for(fn: Callable[[], None], seconds: float) -> int:
    """How many calls of fn take about `seconds` (at least 1)."""
    fn()  # warm-up (lazy builds, caches)
    n, elapsed = 1, 0.0
    while elapsed < seconds / 10:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        n *= 2
    return max(1, int(n / 2 * seconds / max(elapsed, 1e-9)))


def repetition_us(fn: Callable[[], None], n: int) -> float:
    """Mean microseconds per call over n calls."""
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def time_python(fn: Callable[[], None], repeats: int = 5, seconds: float = 0.1) -> Timing:
    n = calls_for(fn, seconds)
    reps = [repetition_us(fn, n) for _ in range(repeats)]
    return Timing(statistics.median(reps), tuple(reps), n)


def time_interleaved(timers: Sequence[Callable[[int], float]], counts: Sequence[int],
                     repeats: int) -> list[Timing]:
    """Run one repetition of each timer in turn, `repeats` times, so that all of them see the
    same machine load; timer(n) returns microseconds per call over n calls."""
    reps: list[list[float]] = [[] for _ in timers]
    for _ in range(repeats):
        for timer, n, out in zip(timers, counts, reps, strict=True):
            out.append(timer(n))
    return [Timing(statistics.median(r), tuple(r), n) for r, n in zip(reps, counts, strict=True)]


_LOOP_MAIN = """/* timing harness: read inputs from argv[1], invoke N times per repetition */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "{name}.h"

static double now_ns(void) {{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}}

int main(int argc, char **argv) {{
    FILE *f;
    long n, r, i, reps;
{decls}
    if (argc != 4 || (f = fopen(argv[1], "rb")) == NULL) {{
        return 3;
    }}
{reads}
    fclose(f);
    n = atol(argv[2]);
    reps = atol(argv[3]);
    for (i = 0; i < 10; i++) {{
        if (mf_{name}_invoke({args}) != 0) {{
            return 4;
        }}
    }}
    for (r = 0; r < reps; r++) {{
        double start = now_ns();
        for (i = 0; i < n; i++) {{
            mf_{name}_invoke({args});
        }}
        printf("%.3f\\n", (now_ns() - start) / (double)n / 1000.0);
    }}
    return 0;
}}
"""


def loop_main(model: CompiledModel) -> str:
    """A C main() timing mf_<name>_invoke on the inputs in a file (caller-buffer API)."""
    info = model.info
    if info.inputs_in_arena:
        raise ValueError("the C timing loop expects the default (caller input buffers) API")
    decls, reads, args = [], [], []
    for kind, details in (("input", info.inputs), ("output", info.outputs)):
        for d in details:
            decls.append(f"    static {DTYPE_C[d.dtype]} {kind}{d.position}[{max(d.size, 1)}];")
            args.append(f"{kind}{d.position}")
    for d in info.inputs:
        size = np.dtype(DTYPE_NUMPY[d.dtype]).itemsize
        reads.append(f"    if (fread(input{d.position}, {size}, {d.size}, f) != {d.size}) "
                     "{ fclose(f); return 3; }")
    return _LOOP_MAIN.format(name=info.name, decls="\n".join(decls), reads="\n".join(reads),
                             args=", ".join(args))


class CLoop:
    """mf_<name>_invoke in a C clock_gettime loop, run as a subprocess.

    The generated C is built as a shared library (gcc `opt` -shared -fPIC, as CompiledModel
    builds it at its own level) and a separate -O2 main links against it. Use as a context
    manager (the build lives in a temporary folder).
    """

    def __init__(self, model: CompiledModel, inputs: Sequence[np.ndarray], opt: str = "-O2"):
        self._tmp = tempfile.TemporaryDirectory(prefix="mf_bench_")
        folder = Path(self._tmp.name)
        lib = folder / f"lib{model.info.name}.so"
        gcc_compile(model.out_dir, lib, [opt, "-shared", "-fPIC"])
        main_c = folder / "timing_main.c"
        main_c.write_text(loop_main(model), encoding="utf-8")
        self.exe = folder / "timing"
        cmd = [shutil.which("gcc") or "gcc", *WARNING_FLAGS, "-O2", "-D_POSIX_C_SOURCE=199309L",
               "-I", str(model.out_dir), str(main_c), "-L", str(folder),
               f"-l{model.info.name}", f"-Wl,-rpath,{folder}", "-o", str(self.exe)]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"timing harness build failed:\n{result.stderr[:2000]}")
        self.data = folder / "in.bin"
        self.data.write_bytes(b"".join(np.ascontiguousarray(a).tobytes() for a in inputs))

    def __enter__(self) -> CLoop:
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()

    def calls_for(self, seconds: float) -> int:
        probe = min(self.run(1, 3))  # microseconds per invoke, roughly
        return max(1, int(seconds * 1e6 / max(probe, 0.01)))

    def run(self, n: int, repeats: int = 1) -> list[float]:
        """Microseconds per invoke of each of `repeats` repetitions of n invokes."""
        return _run_loop(self.exe, self.data, n, repeats)

    def repetition_us(self, n: int) -> float:
        return self.run(n, 1)[0]


def time_c_loop(model: CompiledModel, inputs: Sequence[np.ndarray], repeats: int = 5,
                seconds: float = 0.1, opt: str = "-O2") -> Timing:
    """Time the generated C alone (see CLoop)."""
    with CLoop(model, inputs, opt) as loop:
        n = loop.calls_for(seconds)
        reps = loop.run(n, repeats)
    return Timing(statistics.median(reps), tuple(reps), n)


def _run_loop(exe: Path, data: Path, n: int, repeats: int) -> list[float]:
    proc = subprocess.run([str(exe), str(data), str(n), str(repeats)], capture_output=True,
                          text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"timing harness failed ({proc.returncode}): {proc.stderr[:500]}")
    return [float(v) for v in proc.stdout.split()]
