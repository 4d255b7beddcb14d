"""The docs/benchmarks.md section of bench.compiler: tables, the goals, and why where missed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.compiler import ModelFigures

KWS_RAM_GOAL = 12_000
RAM_RATIO_GOAL = 0.6
HOST_TIME_GOAL = 0.25
# what the figures depend on: uncommitted changes there are flagged in the doc
_CODE_PATHS = ("src/microforge/runtime", "src/microforge/ops", "src/microforge/codegen",
               "src/microforge/memory", "src/microforge/passes")

# how each model's RAM figure comes about (reached or not)
WHY_NOT = {
    "micro_speech": "its DEPTHWISE_CONV_2D -> FULLY_CONNECTED pair is fused "
                    "(passes/fuse_depthwise_fc.py), so its 4,000-byte depthwise output never "
                    "exists; what is left is nearly all the caller's 1,960-byte input",
    "ad_fp32": "the caller's float input and output (640 values each) are 5,120 B alone, "
               "0.82x TFLM's total arena, before any activation: only the I/O-in-arena layout "
               "(`inplace_input=True, inplace_output=True`, as TFLM) goes below",
    "magic_wand": "its first DEPTHWISE_CONV_2D -> MAX_POOL_2D pair is fused "
                  "(passes/fuse_depthwise_max_pool.py): the 12,288-byte depthwise output is "
                  "never stored",
    "ic_int8": "three 16 KB tensors (the skip tensor, the first and the second conv output) "
               "would be live together in the first residual block; the second 3x3 "
               "convolution runs in place through a ring of pad_h * width + pad_w + 1 pixels "
               "(544 B) so the peak is the two 16 KB tensors + 544 B",
    "ic_float": "the first residual block (conv, conv, ADD with its input) is fused and "
                "streamed row by row (passes/fuse_residual_block.py: only a band of 3 rows of "
                "the first conv's output and one row of the second's exist, the sum replaces "
                "the block input in place), and each downsampling block's 1x1 shortcut conv "
                "is added row by row into the main path (passes/fuse_conv_add.py); before, the "
                "skip tensor and the first conv output (2 x 64 KB) were live together (0.665x)",
}


def _ratio(r: ModelFigures) -> float:
    return min(r.ram, r.ram_io_in_arena) / r.tflm_total


def goals_text(rows: list[ModelFigures]) -> str:
    lines = []
    kws = next((r for r in rows if r.name == "kws"), None)
    if kws is not None:
        best = min(kws.ram, kws.ram_io_in_arena)
        verdict = "reached" if best <= KWS_RAM_GOAL else "NOT reached"
        lines.append(f"- KWS RAM <= {KWS_RAM_GOAL:,} B: {verdict}: {kws.ram:,} B with caller "
                     f"I/O buffers, {kws.ram_io_in_arena:,} B with the I/O in the arena "
                     f"(TFLM {kws.tflm_total:,} B).")
    ok = [r.name for r in rows if _ratio(r) <= RAM_RATIO_GOAL]
    missed = [r for r in rows if r.name not in ok]
    lines.append(f"- RAM <= {RAM_RATIO_GOAL}x TFLM total (best of the two layouts): reached on "
                 f"{len(ok)} of {len(rows)} ({', '.join(ok) or 'none'}).")
    for r in rows:
        if r in missed or r.name in WHY_NOT:
            why = WHY_NOT.get(r.name, "see docs/memory.md")
            verdict = "" if r in missed else "reached, "
            lines.append(f"  - {r.name}: {verdict}{_ratio(r):.3f}x: {why}.")
    fast = [r.name for r in rows if r.ours_c3.median_us <= HOST_TIME_GOAL * r.tflm_py.median_us]
    slow = [f"{r.name} {r.ours_c3.median_us / r.tflm_py.median_us:.2f}x" for r in rows
            if r.name not in fast]
    py_fast = [r.name for r in rows if r.ours_py.median_us <= HOST_TIME_GOAL * r.tflm_py.median_us]
    verdict = (f"reached on {', '.join(fast) or 'none'}; not on {', '.join(slow)}" if slow
               else f"reached on all {len(rows)}")
    lines.append(f"- Host time <= {HOST_TIME_GOAL}x tflite-micro. C loop at -O3 (the level "
                 f"CompiledModel builds at) against TFLM's Python set_input+invoke: {verdict}. "
                 f"Python against Python (what a user times): reached on "
                 f"{', '.join(py_fast) or 'none'}.")
    near = [r.name for r in rows
            if 0.8 <= r.ours_c3.median_us / r.tflm_py.median_us / HOST_TIME_GOAL <= 1.2]
    if near:
        lines.append(f"  - Within 20 % of the goal, so reached or not depending on the run on "
                     f"this shared machine: {', '.join(near)}.")
    lines.append("  - The float kernels keep TFLite's reference summation order per output (no "
                 "fast-math, bit-identical results): they vectorise only across outputs, never "
                 "along a sum. FULLY_CONNECTED and CONV_2D get their weights re-laid-out at "
                 "compile time in blocks of 8 outputs (one output per SIMD lane: "
                 "`*_f32_blocked` kernels), single-channel DEPTHWISE_CONV_2D does the same with "
                 "its 1HWO filter; the int8 kernels' sums are exact integers and vectorise "
                 "freely.")
    lines.append("  - TFLM's time includes its Python binding, which is nearly all of "
                 "hello_world's; CompiledModel's own Python path (runners/host.py: numpy "
                 "conversion in set_input, ctypes argument building in invoke) costs about 8-16 "
                 "us per set_input+invoke, which dominates the small models.")
    return "\n".join(lines) + "\n"


def _head_commit() -> str:
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                          capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", *_CODE_PATHS], cwd=root,
                           capture_output=True, text=True).stdout.strip()
    return head + (" + uncommitted changes" if dirty else "")


def section_text(tables: str, rows: list[ModelFigures], machine: str, repeats: int,
                 seconds: float) -> str:
    from bench.compiler import COMMAND, SECTION

    commit = _head_commit()

    return f"""{SECTION}

Produced by `{COMMAND}` (about 1 minute, kernels as of commit {commit}) on
{machine}: a VM shared with five other engineers' jobs, so times are noisy
(repeat runs differ by up to ~30 %); each time is the median of {repeats} repetitions of
~{seconds} s, the four timings of a model interleaved repetition by repetition so that they
see the same load. Inputs: seeded random values, the same for TFLM and ours.

- RAM ours = our arena (scratch included) + the caller's input/output buffers; "planner bound"
  = the live-bytes peak of the planned buffers + I/O (the arena never goes below it); "I/O in
  arena" = the arena of `compile_model(..., inplace_input=True, inplace_output=True)`, which is
  then all the RAM (as TFLM, whose arena holds its I/O tensors). TFLM total/head from
  `tflm_arena_size` (TFLM's own allocation report). The ratio is ours / TFLM total (in
  brackets: the better of the two layouts).
- Flash ours = text + data of the generated library (constants, invoke code and kernels)
  built with `arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os` (`flash_estimate`); in brackets
  the constants alone. TFLM needs the .tflite plus 50-160 KB of interpreter code.
- Host time in microseconds per invoke: TFLM = `interp.set_input(x, 0); interp.invoke()` from
  Python (`tflite-micro`); ours Python = `model.set_input(0, x); model.invoke()` on the
  `CompiledModel` (ctypes, built -O3); ours C loop = the generated library (-O2 or -O3,
  `-shared -fPIC`) called N times from a C main between two `clock_gettime` calls, in a
  subprocess.

{tables}
Against the goals (DESIGN.md, "Where the bar is"):

{goals_text(rows)}"""
