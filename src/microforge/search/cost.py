"""A candidate's cost before it is trained: RAM, flash, instructions and latency on the board.

The untrained Keras model of the candidate's shape is converted to int8 with random
representative inputs and compiled by microforge: the memory plan (arena) and the weights do
not depend on the trained values, so RAM and flash are those of the trained model. The
instructions per inference come from one of:

- `emulator`: the compiled library built for the board's core and run once on QEMU
  (instructions counted by the project's plugin; flash and RAM from the linked firmware);
- `model`: the per-op cost model (search/cost_model.py), calibrated on the emulated cores,
  with flash from the library compiled with arm-none-eabi-gcc -Os (host gcc without it).

- `emulator` with the project's data (`pipeline_cost`): the whole C pipeline (the candidate's
  DSP block fitted on the training windows, the untrained int8 network, the post-processing)
  built for the board's core and one real window streamed through it on QEMU: DSP and network
  instructions apart, flash and RAM of the three parts as linked, plus the stack.

`network_cost` counts the network alone: its library's flash, its arena + static data + I/O
buffers + the stack it used; the cost model (`model`) only knows networks (docs/search.md).
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from microforge.config import ProjectConfig
from microforge.errors import ConfigError
from microforge.ir.tensor import DTYPE_NUMPY
from microforge.search.cost_model import estimate_instructions, table_for
from microforge.targets.boards import Board
from microforge.targets.cycle_model import CYCLE_TABLES

REPRESENTATIVE = 16  # random inputs the untrained model is calibrated on
INT16X8 = "ptq_16x8"  # int16 activations, int8 weights (optimize's technique name)


@dataclass(frozen=True)
class Geometry:
    """What the model's shape depends on besides the config: the dataset's."""

    sample_rate: float
    n_channels: int
    n_classes: int


@dataclass
class CandidateCost:
    ram_bytes: int
    flash_bytes: int
    arena_bytes: int
    macs: int
    instructions: int | None
    latency_ms: float | None
    input_shape: tuple[int, ...]
    method: str
    scope: str = "network"  # network | pipeline (DSP + network + post-processing)
    dsp_instructions: int | None = None
    network_instructions: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["input_shape"] = list(self.input_shape)
        return data


def feature_shape(config: ProjectConfig, geometry: Geometry) -> tuple[int, ...]:
    from microforge.data.windowing import window_samples
    from microforge.pipeline.features import make_dsp_block
    from microforge.workspace.specs import window_spec

    length, _ = window_samples(window_spec(config), geometry.sample_rate)
    block = make_dsp_block(config)
    return tuple(int(d) for d in block.feature_shape(length, geometry.n_channels,
                                                     geometry.sample_rate))


def untrained_int8(config: ProjectConfig, geometry: Geometry) -> tuple[bytes, tuple[int, ...]]:
    """The int8 .tflite of the candidate's untrained network, and its input shape."""

    shape = feature_shape(config, geometry)
    m = config.model
    return network_int8(m.architecture, shape, geometry.n_classes, m.width, m.depth,
                        m.dropout, config.training.seed), shape


def network_int8(architecture: str, shape: tuple[int, ...], n_classes: int, width: float,
                 depth: int | None, dropout: float = 0.1, seed: int = 0,
                 variant: str = "ptq_int8") -> bytes:
    """An untrained zoo network converted to int8 (or, `variant` = "ptq_16x8", to int16
    activations with int8 weights) on random representative inputs."""
    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    model = build_model(architecture, shape, n_classes, width=width, dropout=dropout,
                        seed=seed, depth=depth)
    x = np.random.default_rng(seed).standard_normal((REPRESENTATIVE, *shape)).astype(np.float32)
    if variant == INT16X8:
        from microforge.optimize.ptq import quantize_variant

        return quantize_variant(model, x, INT16X8)
    return quantize_int8(model, x, REPRESENTATIVE, seed=0)


def with_16x8_network(config: ProjectConfig, base: CandidateCost, n_classes: int,
                      board: Board) -> CandidateCost:
    """`base` (the pipeline measured with the int8 network) with its network replaced by the
    16x8 one: both untrained networks compiled by microforge and run alone on the board's
    emulated core, their differences in instructions, flash and RAM added to `base`. The
    deployed 16x8 pipeline also has int16 feature and score buffers (the input lives in the
    arena, counted with the network; the scores are n_classes bytes more) and quantizes to
    int16: those few bytes and instructions are not in this figure."""
    m = config.model
    shape = base.input_shape
    costs = [network_cost(network_int8(m.architecture, shape, n_classes, m.width, m.depth,
                                       m.dropout, config.training.seed, variant),
                          shape, board, "emulator")
             for variant in ("ptq_int8", INT16X8)]
    int8, wide = costs
    extra = int(wide.instructions or 0) - int(int8.instructions or 0)
    network = (base.network_instructions or 0) + extra
    instructions = (base.instructions or 0) + extra
    return replace(
        base, ram_bytes=base.ram_bytes + wide.ram_bytes - int8.ram_bytes,
        flash_bytes=base.flash_bytes + wide.flash_bytes - int8.flash_bytes,
        arena_bytes=wide.arena_bytes, instructions=instructions,
        network_instructions=network, latency_ms=_latency(board, instructions, None),
        method=f"{base.method}; 16x8 network: int8 pipeline + (16x8 - int8 network, each run "
               "alone)")


def candidate_cost(config: ProjectConfig, geometry: Geometry, board: Board, method: str,
                   work_dir: Path | None = None) -> CandidateCost:
    """The cost of `config`'s network on `board`; method "emulator" or "model"."""
    tflite, shape = untrained_int8(config, geometry)
    return network_cost(tflite, shape, board, method, work_dir)


def network_cost(tflite: bytes, shape: tuple[int, ...], board: Board, method: str,
                 work_dir: Path | None = None) -> CandidateCost:
    """The cost of an int8 .tflite on `board`; method "emulator" or "model"."""
    from microforge.runners.host import compile_and_load

    with tempfile.TemporaryDirectory(prefix="mf_search_cost_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        compiled = compile_and_load(tflite, work / "lib", "model", target=board)
        info = compiled.info
        io_bytes = sum(d.size * np.dtype(DTYPE_NUMPY[d.dtype]).itemsize
                       for d in info.inputs + info.outputs)
        if method == "emulator":
            return _emulated(compiled, board, shape, io_bytes, work)
        if method != "model":
            raise ConfigError(f"search.cost: {method!r}; one of emulator, model")
        from microforge.ir.tflite_reader import read_tflite

        instructions = estimate_instructions(board.core, info.ops, read_tflite(tflite))
        table = table_for(board.core)
        flash = int(compiled.flash_estimate(cortex_m=True))
        return CandidateCost(
            ram_bytes=int(info.arena_size) + io_bytes, flash_bytes=flash,
            arena_bytes=int(info.arena_size), macs=int(info.macs), instructions=instructions,
            latency_ms=_latency(board, instructions, None), input_shape=shape,
            method=f"estimated: per-op cost model of {table.core}"
                   f"{'' if table.core == board.core else f' (no {board.core} table)'}; "
                   "flash: library -Os; RAM: arena + I/O (no stack)")


def _emulated(compiled, board: Board, shape: tuple[int, ...], io_bytes: int,
              work: Path) -> CandidateCost:
    from microforge.measure.emulated import measured_core, measuring_board, run_fitting
    from microforge.measure.verify import random_inputs
    from microforge.runners.mcu import run_model_on_mcu

    core = measured_core(board)
    host = measuring_board(core, [board])
    inputs = random_inputs(compiled.info, 1, 0)
    result, _, where = run_fitting(
        lambda b, folder: run_model_on_mcu(compiled, b, inputs, work_dir=folder),
        host, core, work / "mcu")
    instructions = int(result.instructions[0])
    info = compiled.info
    return CandidateCost(
        ram_bytes=int(result.library_ram_bytes) + int(result.stack_bytes) + io_bytes,
        flash_bytes=int(result.library_flash_bytes), arena_bytes=int(info.arena_size),
        macs=int(info.macs), instructions=instructions,
        latency_ms=_latency(board, instructions, result.mixes[0]), input_shape=shape,
        method=where)


def pipeline_cost(config: ProjectConfig, block, window: np.ndarray, labels: list[str],
                  stride: int, board: Board, work_dir: Path | None = None) -> CandidateCost:
    """The whole pipeline's cost on `board`'s emulated core: `block` fitted, `window` one real
    (window, channels) window."""
    from microforge.library.assemble import compile_pipeline
    from microforge.measure.emulated import measured_core, measuring_board, run_fitting
    from microforge.measure.project_inputs import firmware_part_sizes
    from microforge.postprocess import PostprocessParams
    from microforge.runners.pipeline_mcu import run_pipeline_on_mcu

    m = config.model
    shape = tuple(int(d) for d in block.feature_shape(window.shape[0], window.shape[1]))
    tflite = network_int8(m.architecture, shape, len(labels), m.width, m.depth, m.dropout,
                          config.training.seed)
    core = measured_core(board)
    host = measuring_board(core, [board])
    with tempfile.TemporaryDirectory(prefix="mf_search_cost_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        library = compile_pipeline(block, tflite, labels, stride,
                                   PostprocessParams.from_config(config.postprocess),
                                   work / "lib", name="candidate",
                                   fixed_point=host.fpu == "none")
        run, folder, where = run_fitting(
            lambda b, out: run_pipeline_on_mcu(library, b, [window], work_dir=out),
            host, core, work / "mcu")
        sizes = firmware_part_sizes(folder, run.image, library)
        arena = int(library.model.info.arena_size) if library.model is not None else 0
        macs = int(library.model.info.macs) if library.model is not None else 0
    dsp, network = int(run.dsp_instructions[0]), int(run.network_instructions[0])
    return CandidateCost(
        ram_bytes=sum(p.ram_bytes for p in sizes.values()) + int(run.stack_bytes),
        flash_bytes=sum(p.flash_bytes for p in sizes.values()), arena_bytes=arena, macs=macs,
        instructions=dsp + network, latency_ms=_latency(board, dsp + network, None),
        input_shape=shape, method=where + ": the pipeline (DSP, network, post-processing)",
        scope="pipeline", dsp_instructions=dsp, network_instructions=network)


def _latency(board: Board, instructions: int | None, mix) -> float | None:
    """ms per inference at the board clock: cycles from the measured instruction mix
    (targets/cycle_model.py), or instructions x the core's CPI assumption."""
    from microforge.measure.emulated import measured_core

    if instructions is None:
        return None
    core = measured_core(board)
    if mix is not None and core.name in CYCLE_TABLES and mix.total:
        cycles = CYCLE_TABLES[core.name].estimate(mix) * instructions / mix.total
    else:
        cycles = instructions * core.cycles_per_instruction
    return cycles / (board.clock_mhz * 1e3)


def resolve_method(method: str, board: Board) -> str:
    """`auto`: the emulator when the toolchain and QEMU of the core measuring `board` are
    here, else the cost model."""
    if method != "auto":
        return method
    from microforge.measure.emulated import measured_core
    from microforge.targets.toolchain import toolchain_available

    return "emulator" if toolchain_available(measured_core(board).arch) else "model"
