"""The compiler against TFLM on every shared model, side by side in one run (issue 3).

    .venv/bin/python -m bench.compiler [--models kws ...] [--repeats 5] [--seconds 0.1]
                                       [--write-docs]

RAM: our arena (scratch included) + the caller's input/output buffers, against TFLM's arena
(`tflm_arena_size`: total and head) and the planner's live-bytes bound; also with the input in
the arena (`inplace_input=True, inplace_output=True`: the arena alone, as TFLM). Flash: `flash_estimate(cortex_m=True)` (constants +
code, arm-none-eabi-gcc -Os). Host time per invoke: TFLM set_input+invoke from Python, our
CompiledModel set_input+invoke from Python (built -O3), and our C invoke in a
clock_gettime loop (generated C built -O2 and -O3).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from bench.doc_section import write_section
from bench.host_timing import CLoop, Timing, calls_for, repetition_us, time_interleaved
from microforge.ir.tensor import DTYPE_NUMPY
from microforge.paths import shared_data_dir
from microforge.runners.host import compile_and_load
from microforge.runners.tflm import tflm_arena_size, tflm_interpreter

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Compiler (issue 3)"
COMMAND = ".venv/bin/python -m bench.compiler --write-docs"

# short name -> path under shared/data/models
MODELS = {
    "hello_world_int8": "tflm_hello_world/hello_world_int8.tflite",
    "hello_world_float": "tflm_hello_world/hello_world_float.tflite",
    "kws": "mlperf_kws/kws_ref_model.tflite",
    "micro_speech": "tflm_micro_speech/micro_speech_quantized.tflite",
    "ad_int8": "mlperf_ad/ad01_int8.tflite",
    "ad_fp32": "mlperf_ad/ad01_fp32.tflite",
    "magic_wand": "tflm_magic_wand/magic_wand.tflite",
    "ic_int8": "mlperf_ic/pretrainedResnet_quant.tflite",
    "ic_float": "mlperf_ic/pretrainedResnet.tflite",
}


@dataclass(frozen=True)
class ModelFigures:
    name: str
    arena: int
    io_bytes: int
    live_peak: int
    ram_io_in_arena: int  # arena with inplace_input=True, inplace_output=True (no I/O buffers)
    tflm_total: int
    tflm_head: int
    weight_bytes: int
    flash: int
    tflite_bytes: int
    tflm_py: Timing
    ours_py: Timing
    ours_c: Timing  # generated C at -O2
    ours_c3: Timing  # at -O3 (CompiledModel's host build level)

    @property
    def ram(self) -> int:
        return self.arena + self.io_bytes


def random_inputs(model, rng: np.random.Generator) -> list[np.ndarray]:
    arrays = []
    for d in model.info.inputs:
        dtype = np.dtype(DTYPE_NUMPY[d.dtype])
        if dtype.kind == "f":
            arrays.append(rng.standard_normal(d.shape).astype(dtype))
        else:
            info = np.iinfo(dtype)
            arrays.append(rng.integers(info.min, info.max, d.shape, endpoint=True, dtype=dtype))
    return arrays


def measure(name: str, path: Path, work: Path, repeats: int, seconds: float) -> ModelFigures:
    data = path.read_bytes()
    ours = compile_and_load(path, work / name, name=name)
    in_arena = compile_and_load(path, work / f"{name}_ia", name=name, inplace_input=True,
                             inplace_output=True)
    inputs = random_inputs(ours, np.random.default_rng(0))
    arena = tflm_arena_size(data, inputs)
    interp = tflm_interpreter(data)

    def tflm_call() -> None:
        for i, x in enumerate(inputs):
            interp.set_input(x, i)
        interp.invoke()

    def ours_call() -> None:
        for i, x in enumerate(inputs):
            ours.set_input(i, x)
        ours.invoke()

    with CLoop(ours, inputs, "-O2") as c2, CLoop(ours, inputs, "-O3") as c3:
        timers = [partial(repetition_us, tflm_call), partial(repetition_us, ours_call),
                  c2.repetition_us, c3.repetition_us]
        counts = [calls_for(tflm_call, seconds), calls_for(ours_call, seconds),
                  c2.calls_for(seconds), c3.calls_for(seconds)]
        tflm_py, ours_py, ours_c, ours_c3 = time_interleaved(timers, counts, repeats)
    out_bytes = sum(ours.get_output(i).nbytes for i in range(len(ours.info.outputs)))
    io_bytes = sum(x.nbytes for x in inputs) + out_bytes
    return ModelFigures(
        name=name, arena=ours.arena_size, io_bytes=io_bytes,
        live_peak=int(ours.memory_plan.live_peak),
        ram_io_in_arena=in_arena.arena_size,
        tflm_total=arena.total, tflm_head=arena.head, weight_bytes=ours.weight_bytes,
        flash=ours.flash_estimate(cortex_m=True), tflite_bytes=len(data),
        tflm_py=tflm_py, ours_py=ours_py, ours_c=ours_c, ours_c3=ours_c3,
    )


def _us(t: Timing) -> str:
    return f"{t.median_us:,.1f}" if t.median_us >= 10 else f"{t.median_us:.2f}"


def render_tables(rows: list[ModelFigures]) -> str:
    """Two markdown tables (memory and flash; host time) for the given figures."""
    mem = ["| model | RAM ours (arena + I/O) | planner bound + I/O | I/O in arena | "
           "TFLM total (head) | ours / TFLM total | flash ours (constants) | .tflite |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        mem.append(
            f"| {r.name} | {r.ram:,} ({r.arena:,} + {r.io_bytes:,}) | "
            f"{r.live_peak + r.io_bytes:,} | {r.ram_io_in_arena:,} | "
            f"{r.tflm_total:,} ({r.tflm_head:,}) | {r.ram / r.tflm_total:.2f}x "
            f"({min(r.ram, r.ram_io_in_arena) / r.tflm_total:.2f}x) | "
            f"{r.flash:,} ({r.weight_bytes:,}) | {r.tflite_bytes:,} |")
    speed = ["| model | TFLM set_input+invoke (Python) | ours set_input+invoke (Python) | "
             "ours C loop -O2 | ours C loop -O3 | Python vs TFLM | C -O2 vs TFLM | "
             "C -O3 vs TFLM |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        base = r.tflm_py.median_us
        speed.append(
            f"| {r.name} | {_us(r.tflm_py)} | {_us(r.ours_py)} | {_us(r.ours_c)} | "
            f"{_us(r.ours_c3)} | {r.ours_py.median_us / base:.2f}x | "
            f"{r.ours_c.median_us / base:.3f}x | {r.ours_c3.median_us / base:.3f}x |")
    return "\n".join(mem) + "\n\n" + "\n".join(speed) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.1, help="per timing repetition")
    parser.add_argument("--write-docs", action="store_true",
                        help=f"write the tables into {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    data_dir = shared_data_dir()
    if data_dir is None:
        raise SystemExit("../shared/data not found; set MICROFORGE_DATA")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mf_bench_compiler_") as tmp:
        for name in args.models:
            rows.append(measure(name, data_dir / "models" / MODELS[name], Path(tmp),
                                args.repeats, args.seconds))
            print(f"{name}: done", flush=True)
    tables = render_tables(rows)
    print(f"\nmachine: {machine()}\n\n{tables}")
    if args.write_docs:
        from bench.compiler_doc import section_text

        text = section_text(tables, rows, machine(), args.repeats, args.seconds)
        write_section(DOC, SECTION, text)
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
