"""Verify a .tflite on an emulated MCU: compile it, run N inputs in QEMU for the board's core,
compare with the reference (TFLM bit for bit for int8/int16; float: tolerance; hybrid: LiteRT),
and collect flash, RAM, stack, instructions and the latency estimate."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from microforge.errors import BoardFitError, ConfigError, DataError, ModelError
from microforge.ir.tensor import DTYPE_NUMPY
from microforge.measure.emulated import emulated_board, latency_ms
from microforge.targets.boards import Board
from microforge.targets.cores import CoreSpec

if TYPE_CHECKING:
    from microforge.codegen.compiler import CompileInfo

FLOAT_RTOL, FLOAT_ATOL = 1e-5, 1e-6  # float32 models vs TFLM (docs/compiler.md)
DEFAULT_RANDOM_INPUTS = 20
HYBRID_RTOL, HYBRID_ATOL = 1e-5, 1e-5  # dynamic-range models vs LiteRT reference kernels


@dataclass
class VerifyReport:
    model: Path
    board: Board
    core: CoreSpec
    reference: str  # what the outputs were compared with, and how
    n_inputs: int
    mismatches: list[str] = field(default_factory=list)  # one line per differing output
    max_abs_diff: float = 0.0
    instructions: list[int] = field(default_factory=list)
    macs: int = 0
    flash_bytes: int = 0
    ram_bytes: int = 0
    library_flash_bytes: int = 0
    library_ram_bytes: int = 0
    stack_bytes: int = 0

    @property
    def passed(self) -> bool:
        return not self.mismatches

    @property
    def mean_instructions(self) -> float:
        return float(np.mean(self.instructions)) if self.instructions else 0.0

    @property
    def instructions_per_mac(self) -> float | None:
        return self.mean_instructions / self.macs if self.macs else None

    @property
    def latency_ms(self) -> float:
        """Mean instructions x the core's CPI assumption at the board clock."""
        return latency_ms(self.mean_instructions, self.core, self.board)


def random_inputs(info: CompileInfo, n: int, seed: int) -> list[list[np.ndarray]]:
    """n input sets for a compiled model: integers over their full range, floats in [-1, 1)."""
    rng = np.random.default_rng(seed)
    sets = []
    for _ in range(n):
        sample = []
        for d in info.inputs:
            dtype = np.dtype(DTYPE_NUMPY[d.dtype])
            if dtype.kind in "iu":
                limits = np.iinfo(dtype)
                sample.append(rng.integers(limits.min, int(limits.max) + 1, size=d.shape,
                                           dtype=dtype))
            else:
                sample.append(rng.uniform(-1, 1, size=d.shape).astype(dtype))
        sets.append(sample)
    return sets


def file_inputs(info: CompileInfo, path: Path) -> list[list[np.ndarray]]:
    """Input sets for a one-input model from a .npy (any shape, row-major) or a raw float32
    .bin: consecutive windows of the input's size; real values are quantized for int inputs."""
    if len(info.inputs) != 1:
        raise ConfigError(f"{path}: --input-file needs a model with one input, this one has "
                          f"{len(info.inputs)}")
    d = info.inputs[0]
    try:
        values = np.load(path) if path.suffix == ".npy" else np.fromfile(path, np.float32)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read inputs ({exc}); pass a .npy or float32 .bin"
                        ) from exc
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    if flat.size < d.size:
        raise DataError(f"{path}: {flat.size} values, the model's input needs {d.size}")
    windows = flat[: flat.size // d.size * d.size].reshape(-1, *d.shape)
    dtype = np.dtype(DTYPE_NUMPY[d.dtype])
    if dtype.kind in "iu":
        if not d.scale:
            raise ModelError(f"input {d.name!r} is {d.dtype} without a scale; cannot quantize")
        limits = np.iinfo(dtype)
        windows = np.clip(np.round(windows / d.scale) + (d.zero_point or 0), limits.min,
                          limits.max)
    return [[w.astype(dtype)] for w in windows]


def reference_outputs(model_bytes: bytes, info, inputs: list[list[np.ndarray]]
                      ) -> tuple[str, list[list[np.ndarray]]]:
    """(description, outputs) of the reference for this kind of model."""
    if any("hybrid" in kernel for kernel in info.kernels):
        return (f"LiteRT reference kernels (hybrid model: rtol {HYBRID_RTOL:g}, "
                f"atol {HYBRID_ATOL:g})", _litert_batch(model_bytes, inputs))
    from microforge.runners.tflm import run_tflm_batch

    floats = any(d.dtype == "float32" for d in info.outputs)
    how = f"rtol {FLOAT_RTOL:g}, atol {FLOAT_ATOL:g}" if floats else "bit for bit"
    return f"TFLM ({how})", run_tflm_batch(model_bytes, inputs)


def _litert_batch(model_bytes: bytes, inputs: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    try:
        from ai_edge_litert.interpreter import Interpreter, OpResolverType
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError("hybrid models are checked against LiteRT: pip install ai-edge-litert"
                         ) from exc
    interp = Interpreter(model_content=model_bytes,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interp.allocate_tensors()
    results = []
    for sample in inputs:
        for detail, value in zip(interp.get_input_details(), sample, strict=True):
            interp.set_tensor(detail["index"], value)
        interp.invoke()
        results.append([np.array(interp.get_tensor(d["index"]), copy=True)
                        for d in interp.get_output_details()])
    return results


def compare(ours: list[list[np.ndarray]], ref: list[list[np.ndarray]], hybrid: bool
            ) -> tuple[list[str], float]:
    """One line per differing output, and the largest absolute difference."""
    lines, worst = [], 0.0
    rtol, atol = (HYBRID_RTOL, HYBRID_ATOL) if hybrid else (FLOAT_RTOL, FLOAT_ATOL)
    for k, (a_set, b_set) in enumerate(zip(ours, ref, strict=True)):
        for j, (a, b) in enumerate(zip(a_set, b_set, strict=True)):
            diff = np.abs(a.astype(np.float64) - b.astype(np.float64).reshape(a.shape))
            worst = max(worst, float(diff.max(initial=0.0)))
            if a.dtype == np.float32:
                bad = ~np.isclose(a, b.reshape(a.shape), rtol=rtol, atol=atol)
            else:
                bad = diff != 0
            if bad.any():
                lines.append(f"input {k}, output {j}: {int(bad.sum())} of {a.size} values differ"
                             f" (max |diff| {float(diff.max()):g})")
    return lines, worst


def verify_on_mcu(model_path: str | Path, board: Board | str, *, n_inputs: int | None = 20,
                  seed: int = 0, input_file: Path | None = None,
                  work_dir: Path | None = None, stack_bytes: int = 8 * 1024) -> VerifyReport:
    """Compile, run on the board's emulated core, compare with the reference, measure.
    `n_inputs` None: every window of `input_file` (or DEFAULT_RANDOM_INPUTS random ones).
    `stack_bytes`: the stack reserved at link time (counted against the board's RAM)."""
    from microforge.runners.host import compile_and_load
    from microforge.runners.mcu import run_model_on_mcu

    board, core = emulated_board(board)
    model_path = Path(model_path)
    if not model_path.is_file():
        raise ModelError(f"{model_path}: no such model file; pass a .tflite")
    if n_inputs is None and input_file is None:
        n_inputs = DEFAULT_RANDOM_INPUTS
    if n_inputs is not None and n_inputs < 1:
        raise ConfigError(f"--inputs must be at least 1, got {n_inputs}")
    if stack_bytes < 256 or stack_bytes % 8:
        raise ConfigError(f"--stack-kb gives {stack_bytes} B; use at least 0.25 KB, a multiple "
                          "of 8 bytes")
    with tempfile.TemporaryDirectory(prefix="mf_verify_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        # for the board's core: its kernel variants (codegen/variants.py) are what runs there
        compiled = compile_and_load(model_path, work / "lib", "model", target=board)
        info = compiled.info
        inputs = (file_inputs(info, Path(input_file))[:n_inputs] if input_file is not None
                  else random_inputs(info, n_inputs or DEFAULT_RANDOM_INPUTS, seed))
        reference, expected = reference_outputs(model_path.read_bytes(), info, inputs)
        try:
            result = run_model_on_mcu(compiled, board, inputs, work_dir=work / "mcu",
                                      stack_bytes=stack_bytes)
        except BoardFitError as exc:  # name the user's file, not the internal C name
            raise BoardFitError(str(exc).replace("model:", f"{model_path.name}:", 1)) from None
        hybrid = reference.startswith("LiteRT")
        mismatches, worst = compare(result.outputs, expected, hybrid)
    return VerifyReport(
        model=model_path, board=board, core=core, reference=reference, n_inputs=len(inputs),
        mismatches=mismatches, max_abs_diff=worst, instructions=list(result.instructions),
        macs=int(info.macs), flash_bytes=result.flash_bytes, ram_bytes=result.ram_bytes,
        library_flash_bytes=result.library_flash_bytes,
        library_ram_bytes=result.library_ram_bytes, stack_bytes=result.stack_bytes)
