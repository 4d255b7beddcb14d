"""An image pipeline -> a C library that takes camera frames: the image block's C, the int8
model, `<name>_frame.c` (frame -> model input -> label or centroids); and its Python twin.

    lib = compile_frame_pipeline(block, model_bytes, labels, out_dir, name="cam")
    twin = FramePipeline(block, model_bytes, labels)        # the same decisions in Python
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.atomic import atomic_dir
from microforge.dsp.base import DspBlock
from microforge.dsp.image import ImageBlock
from microforge.errors import ConfigError, ModelError
from microforge.library.frame_emit import FrameConstants, input_lut, write_frame
from microforge.postprocess.fomo import Centroid, FrameAxis, centroids, int8_threshold, to_frame
from microforge.runners.host import compile_and_load
from microforge.runners.model_runners import int8_quant
from microforge.runners.sizes import LibrarySizes, measure_library
from microforge.workspace.trained import TrainedPipeline

FOMO_CELL = 8


@dataclass
class FrameLibrary:
    name: str
    out_dir: Path
    constants: FrameConstants
    dsp_files: list[str]
    frame_files: list[str]
    arena_bytes: int = 0  # the model's arena (its input included when inputs_in_arena)

    def part_of(self, filename: str) -> str:
        if filename in self.dsp_files:
            return "dsp"
        return "pipeline" if filename in self.frame_files else "network"

    def sizes(self) -> LibrarySizes:
        """Flash and RAM per part (dsp: the image block; network: the model and its arena;
        pipeline: the frame glue, its input table and the FOMO post-processing)."""
        return measure_library(self.out_dir, self.part_of)


def _image_block(block: DspBlock) -> ImageBlock:
    if not isinstance(block, ImageBlock) or block.sample_rate is None:
        raise ConfigError('the frame pipeline needs a fitted [dsp] block = "image"')
    return block


def frame_constants(block: DspBlock, inputs, outputs, labels: list[str], name: str,
                    input_in_arena: bool, detector: bool, threshold: float) -> FrameConstants:
    from microforge.dsp.image import NORMALIZE

    image = _image_block(block)
    if len(inputs) != 1 or len(outputs) != 1:
        raise ModelError("the frame pipeline needs a model with one input and one output")
    hint = "use the project's model_int8.tflite"
    in_q, out_q = int8_quant(inputs[0], "input", hint), int8_quant(outputs[0], "output", hint)
    p = image.params
    n_pixels = p.width * p.height * image.out_channels
    if inputs[0].size != n_pixels:
        raise ConfigError(f"the image block gives {n_pixels} values but the model takes "
                          f"{inputs[0].size}; retrain the model with this block")
    scale, offset = NORMALIZE[p.normalize]
    grid = (p.height // FOMO_CELL, p.width // FOMO_CELL) if detector else (0, 0)
    return FrameConstants(
        name=name, dsp_prefix=f"mf_{name}_dsp", labels=tuple(labels),
        lut=tuple(int(v) for v in input_lut(scale, offset, in_q)), n_inputs=int(inputs[0].size),
        n_outputs=int(outputs[0].size), input_in_arena=input_in_arena, detector=detector,
        grid=grid, cell=FOMO_CELL,
        threshold_q=int8_threshold(threshold, out_q.scale, out_q.zero_point) if detector else 0,
        x_axis=image.fit_axes()[0], y_axis=image.fit_axes()[1])


def compile_frame_pipeline(block: DspBlock, model: bytes, labels: list[str],
                           out_dir: str | Path, *, name: str = "model", detector: bool = False,
                           threshold: float = 0.5) -> FrameLibrary:
    """The frame library in out_dir (written atomically)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ConfigError(f"pipeline name {name!r} is not a C identifier; use letters, digits, _")
    _image_block(block)
    dsp_c = block.emit_c(f"mf_{name}_dsp")
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="mf_frame_") as scratch:
        compiled = compile_and_load(bytes(model), Path(scratch) / "model", name,
                                    inplace_input=True)
        info = compiled.info
        constants = frame_constants(block, info.inputs, info.outputs, labels, name,
                                    bool(info.inputs_in_arena), detector, threshold)
        with atomic_dir(out_dir) as tmp:
            shutil.copytree(compiled.out_dir, tmp, dirs_exist_ok=True)
            before = {p.name for p in tmp.iterdir()}
            dsp_c.write(tmp)
            dsp_files = sorted(p.name for p in tmp.iterdir() if p.name not in before)
            frame_files = [p.name for p in write_frame(constants, tmp)]
    return FrameLibrary(name, out_dir, constants, dsp_files, frame_files,
                        int(info.arena_size))


class FramePipeline:
    """The Python twin of the frame library: the image block's integer path, the same input
    table, the model in TFLM, argmax or centroids on the int8 output."""

    def __init__(self, block: DspBlock, model: bytes, labels: list[str], *,
                 detector: bool = False, threshold: float = 0.5) -> None:
        from microforge.runners.model_runners import TflmRunner
        from microforge.runners.tflm import tflm_interpreter

        self.block, self.runner = _image_block(block), TflmRunner(model)
        interp = tflm_interpreter(bytes(model))

        class _Detail:  # the IODetail fields frame_constants reads
            def __init__(self, d: dict) -> None:
                q = d.get("quantization_parameters") or {}
                self.dtype = str(np.dtype(d["dtype"]))
                self.scale = float(np.asarray(q.get("scales", [0]))[0])
                self.zero_point = int(np.asarray(q.get("zero_points", [0]))[0])
                self.size = int(np.prod(d["shape"]))

        self.constants = frame_constants(
            block, [_Detail(interp.get_input_details(0))], [_Detail(interp.get_output_details(0))],
            labels, "twin", True, detector, threshold)
        self.lut = np.asarray(self.constants.lut, np.int8)

    def output(self, frame: bytes) -> np.ndarray:
        return self.output_of_pixels(self.block.frame_pixels(frame))

    def output_of_pixels(self, pixels: np.ndarray) -> np.ndarray:
        """The int8 output for the block's uint8 pixels (height, width, channels): an RGB888
        frame's pixels are `block.pixels` of the image (the training path)."""
        return self.runner(self.lut[pixels].reshape(-1))

    def centroids_of(self, output: np.ndarray) -> list[Centroid]:
        """The objects of an int8 heatmap: x, y in the model's input pixels, frame_x, frame_y
        in the camera frame's (the block's fit undone, as the C's mf_fomo_to_frame)."""
        c = self.constants
        found = centroids(output.reshape(c.grid[0], c.grid[1], len(c.labels)), c.threshold_q,
                          c.cell)
        return to_frame(found, FrameAxis(*c.x_axis), FrameAxis(*c.y_axis))

    def classify(self, frame: bytes) -> tuple[int, int]:
        out = self.output(frame)
        best = int(np.argmax(out))
        return best, int(out[best])

    def detect(self, frame: bytes) -> list[Centroid]:
        return self.centroids_of(self.output(frame))


def compile_trained_frames(trained: TrainedPipeline, out_dir: str | Path, *,
                           name: str | None = None) -> FrameLibrary:
    """A trained image project's frame library (the classifier's or the detector's)."""
    if trained.classical is not None:
        raise ConfigError("the frame library needs an int8 network, not a classical model")
    return compile_frame_pipeline(trained.block, trained.model_bytes, trained.labels, out_dir,
                                  name=name or trained.name, detector=trained.detector,
                                  threshold=trained.threshold)


def frame_twin(trained: TrainedPipeline) -> FramePipeline:
    """The Python twin of compile_trained_frames' library."""
    return FramePipeline(trained.block, trained.model_bytes, trained.labels,
                         detector=trained.detector, threshold=trained.threshold)
