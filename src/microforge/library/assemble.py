"""A trained pipeline -> one C library: DSP + int8 (or 16x8) model + post-processing, streaming
API.

    lib = compile_project("examples/uci_har/microforge.toml")      # from the project's outputs
    lib = compile_pipeline(block, model_bytes, labels, stride, PostprocessParams(), out_dir)

The library holds `<name>.c/.h` (the model, `mf_<name>_invoke`), `<dsp prefix>.c/.h` (the
fitted DSP block), `<name>_pipeline.c/.h` (`mf_<name>_pipeline_push`...) and the runtime files.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from microforge.atomic import atomic_dir
from microforge.codegen.compiler import CompileInfo
from microforge.config import ProjectConfig
from microforge.dsp.base import DspBlock
from microforge.dsp.c_emit import DspC
from microforge.errors import ConfigError, ModelError
from microforge.library.pipeline_emit import PipelineConstants, write_pipeline
from microforge.postprocess.params import PostprocessParams
from microforge.runners.host import CompiledModel, compile_and_load
from microforge.runners.model_runners import io_quant
from microforge.runners.sizes import LibrarySizes, measure_library
from microforge.targets.boards import load_board
from microforge.workspace.rundir import RunDir
from microforge.workspace.trained import TrainedPipeline, load_trained


@dataclass
class PipelineLibrary:
    """The compiled pipeline: where it is, what it was built from, which file is which part."""

    name: str
    out_dir: Path
    constants: PipelineConstants
    model: CompiledModel | None  # its info.out_dir is out_dir; None: a classical model
    dsp_files: list[str] = field(default_factory=list)  # .c/.h of the DSP block and kernels
    pipeline_files: list[str] = field(default_factory=list)

    def part_of(self, filename: str) -> str:
        """"dsp", "pipeline" or "network" for a file of the library."""
        if filename in self.dsp_files:
            return "dsp"
        return "pipeline" if filename in self.pipeline_files else "network"

    def sizes(self) -> LibrarySizes:
        """Flash and RAM per part."""
        return measure_library(self.out_dir, self.part_of)


def compile_pipeline(block: DspBlock, model: bytes | str | Path, labels: list[str], stride: int,
                     postprocess: PostprocessParams, out_dir: str | Path, *, name: str = "model",
                     rounding: str = "nearest", fixed_point: bool = False,
                     source: str = "a microforge pipeline",
                     extra: Callable[[Path], list[str]] | None = None) -> PipelineLibrary:
    """Compile a fitted DSP block, an int8 (or 16x8: int16 I/O) .tflite and the
    post-processing into out_dir.

    `extra(folder)` writes more pipeline files into the folder before it is renamed and
    returns their names; with it the pipeline calls the monitor hooks (microforge.monitor).
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ConfigError(f"pipeline name {name!r} is not a C identifier; use letters, digits, _")
    if block.sample_rate is None:
        raise ConfigError("compile_pipeline needs a fitted DSP block (dsp.json)")
    model_bytes = Path(model).read_bytes() if isinstance(model, (str, Path)) else bytes(model)
    out_dir = Path(out_dir)
    dsp_prefix = f"mf_{name}_dsp"
    dsp_c = block.emit_c(dsp_prefix, fixed_point=fixed_point)
    with tempfile.TemporaryDirectory(prefix="mf_pipeline_") as scratch:
        compiled = compile_and_load(model_bytes, Path(scratch) / "model", name,
                                    inplace_input=True)
        constants = _constants(compiled.info, dsp_c, labels, stride, postprocess, rounding,
                               float(block.sample_rate), name, source)
        if extra is not None and constants.output_quant.bits != 8:
            raise ConfigError("the on-device monitor takes int8 scores; a 16x8 network "
                              "(int16 I/O) has no monitor yet: remove [monitor] or use "
                              "[quantization] variant = \"ptq_int8\"")
        if extra is not None:
            constants = dataclasses.replace(constants, monitor=True)
        with atomic_dir(out_dir) as tmp:
            shutil.copytree(compiled.out_dir, tmp, dirs_exist_ok=True)
            before = {p.name for p in tmp.iterdir()}
            clash = before & ({*dsp_c.files} | {Path(k).name for k in dsp_c.kernels})
            if clash:
                raise ModelError(f"DSP and model files share names: {', '.join(sorted(clash))}")
            dsp_c.write(tmp)
            dsp_files = sorted(p.name for p in tmp.iterdir() if p.name not in before)
            pipeline_files = [p.name for p in write_pipeline(constants, tmp)]
            if not block.windowed:  # images: also mf_<name>_classify_frame(camera frame)
                from microforge.library.frame_assemble import frame_constants
                from microforge.library.frame_emit import write_frame

                frame = frame_constants(block, compiled.info.inputs, compiled.info.outputs,
                                        labels, name, bool(compiled.info.inputs_in_arena),
                                        detector=False, threshold=0.5)
                pipeline_files += [p.name for p in write_frame(frame, tmp)]
            if extra is not None:
                pipeline_files += extra(tmp)
    compiled.info.out_dir = out_dir
    return PipelineLibrary(name, out_dir, constants, compiled, dsp_files, pipeline_files)


def _constants(info: CompileInfo, dsp_c: DspC, labels: list[str], stride: int,
               postprocess: PostprocessParams, rounding: str, sample_rate: float, name: str,
               source: str) -> PipelineConstants:
    if len(info.inputs) != 1 or len(info.outputs) != 1:
        raise ModelError("the pipeline needs a model with one input and one output")
    (inp,), (out,) = info.inputs, info.outputs
    hint = "use the project's model_int8.tflite"
    input_quant, output_quant = io_quant(inp, "input", hint), io_quant(out, "output", hint)
    if inp.size != dsp_c.n_features:
        raise ConfigError(f"the DSP block gives {dsp_c.n_features} features but the model takes "
                          f"{inp.size}; retrain the model with this DSP block")
    if out.size != len(labels):
        raise ConfigError(f"the model gives {out.size} scores for {len(labels)} labels")
    return PipelineConstants(
        name=name, dsp_prefix=dsp_c.prefix, window_len=int(dsp_c.window_len),
        channels=int(dsp_c.n_channels), stride=int(stride), n_features=int(dsp_c.n_features),
        sample_rate=sample_rate, labels=tuple(labels),
        input_quant=input_quant, output_quant=output_quant,
        input_in_arena=bool(info.inputs_in_arena), postprocess=postprocess, rounding=rounding,
        source=source,
    )


def compile_project(config: ProjectConfig | str | Path, out_dir: str | Path | None = None, *,
                    run_dir: str | Path | None = None,
                    fixed_point: bool | None = None,
                    extra: Callable[[Path], list[str]] | None = None) -> PipelineLibrary:
    """Compile the project's trained pipeline (default out: <run dir>/c_pipeline).

    `config` and `run_dir` as for load_trained. fixed_point None: the board profile decides
    (the fixed-point DSP for cores without an FPU).
    """
    trained = load_trained(config, run_dir)
    if fixed_point is None:
        fixed_point = _board_without_fpu(trained.board)
    out = Path(out_dir) if out_dir is not None else RunDir(trained.run_dir).c_pipeline
    return compile_trained(trained, out, fixed_point=fixed_point,
                           source=f"the project run in {trained.run_dir.name}", extra=extra)


def compile_trained(trained: TrainedPipeline, out_dir: str | Path, *, name: str | None = None,
                    fixed_point: bool = False, source: str = "a microforge pipeline",
                    extra: Callable[[Path], list[str]] | None = None) -> PipelineLibrary:
    """A trained project's pipeline library: the int8 network's, or the classical model's
    (library.classical_pipeline) when the project trained one."""
    name = name or trained.name
    if trained.detector:
        raise ConfigError(f"{trained.name}: an object detector has no streaming pipeline; its "
                          "library takes camera frames (`microforge compile` and `verify` "
                          "build it; Python: library.frame_assemble.compile_trained_frames)")
    if trained.classical is not None:
        from microforge.library.classical_pipeline import compile_classical_pipeline

        if extra is not None:
            raise ConfigError("extra library files (the monitor) need an int8 neural model")
        return compile_classical_pipeline(trained.block, trained.classical, trained.labels,
                                          trained.stride, trained.postprocess, out_dir,
                                          name=name, fixed_point=fixed_point, source=source)
    return compile_pipeline(trained.block, trained.model_bytes, trained.labels, trained.stride,
                            trained.postprocess, out_dir, name=name, fixed_point=fixed_point,
                            source=source, extra=extra)


def _board_without_fpu(board_id: str) -> bool:
    return load_board(board_id).fpu == "none"
