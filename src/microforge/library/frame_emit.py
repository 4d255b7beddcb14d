"""<name>_frame.h/.c: a camera frame straight to the model, for an image-block pipeline.

    mf_<name>_classify_frame(frame, &label, &score)      classifier: argmax of the int8 scores
    mf_<name>_detect_frame(frame, objects, max)          FOMO: centroids of the int8 heatmap

The frame goes through the image block's `<dsp>_frame_input` (decode, colour, resample) and a
256-entry table pixel -> int8 model input (the normalisation and the model's input
quantization, computed here exactly as mf_quantize_features computes them), written into the
model's input in its arena: no float buffer, no copy of the frame.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import numpy as np

from microforge.c_literals import c_string
from microforge.errors import ConfigError
from microforge.library.pipeline_emit import PIPELINE_RUNTIME_DIR
from microforge.postprocess.params import ScoreQuant
from microforge.version import __version__

FOMO_RUNTIME = ("mf_fomo",)

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("microforge.library", "templates"),
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
)


def input_lut(scale: float, offset: float, input_quant: ScoreQuant) -> np.ndarray:
    """int8 (256,): pixel p -> the model input of feature p * scale + offset, in float32 as
    the image block normalises and mf_quantize_features rounds (half away from zero)."""
    from microforge.dsp.quantize import quantize_features

    p = np.arange(256, dtype=np.float32)
    features = p * np.float32(scale) + np.float32(offset)
    return quantize_features(features, input_quant.scale, input_quant.zero_point, "nearest")


@dataclass(frozen=True)
class FrameConstants:
    name: str  # the model is mf_<name>_invoke
    dsp_prefix: str
    labels: tuple[str, ...]
    lut: tuple[int, ...]  # 256 int8
    n_inputs: int
    n_outputs: int
    input_in_arena: bool
    detector: bool = False  # FOMO heatmap (rows, cols, classes) instead of class scores
    grid: tuple[int, int] = (0, 0)
    cell: int = 8
    threshold_q: int = 0  # int8 threshold of the heatmap
    # the image block's fit per axis (src start, src length, dst start, dst length): the
    # centroids mapped back to the camera frame's pixels (mf_fomo_to_frame)
    x_axis: tuple[int, int, int, int] = (0, 1, 0, 1)
    y_axis: tuple[int, int, int, int] = (0, 1, 0, 1)


def render_frame(c: FrameConstants) -> dict[str, str]:
    if len(c.lut) != 256:
        raise ConfigError("frame pipeline: the input table needs 256 entries")
    if c.detector and c.grid[0] * c.grid[1] * len(c.labels) != c.n_outputs:
        raise ConfigError(f"frame pipeline: a {c.grid[0]}x{c.grid[1]} heatmap of "
                          f"{len(c.labels)} classes is not the model's {c.n_outputs} outputs")
    if not c.detector and c.n_outputs != len(c.labels):
        raise ConfigError(f"the model gives {c.n_outputs} scores for {len(c.labels)} labels")
    prefix = f"mf_{c.name}"
    values = {
        "name": c.name, "prefix": prefix, "macro": prefix.upper(), "version": __version__,
        "dsp_prefix": c.dsp_prefix, "n_inputs": c.n_inputs, "n_outputs": c.n_outputs,
        "n_classes": len(c.labels), "labels": ", ".join(c_string(x) for x in c.labels),
        "lut": ", ".join(str(int(v)) for v in c.lut), "input_in_arena": c.input_in_arena,
        "detector": c.detector, "rows": c.grid[0], "cols": c.grid[1], "cell": c.cell,
        "threshold_q": c.threshold_q, "x_axis": ", ".join(str(int(v)) for v in c.x_axis),
        "y_axis": ", ".join(str(int(v)) for v in c.y_axis),
    }
    return {f"{c.name}_frame.h": _ENV.get_template("frame.h.j2").render(**values),
            f"{c.name}_frame.c": _ENV.get_template("frame.c.j2").render(**values)}


def write_frame(c: FrameConstants, out_dir: Path) -> list[Path]:
    """The generated frame files (and mf_fomo for a detector) into out_dir."""
    written = []
    for filename, text in render_frame(c).items():
        (Path(out_dir) / filename).write_text(text, encoding="utf-8")
        written.append(Path(out_dir) / filename)
    if c.detector:
        for stem in FOMO_RUNTIME:
            for ext in (".h", ".c"):
                shutil.copy2(PIPELINE_RUNTIME_DIR / f"{stem}{ext}", Path(out_dir) / f"{stem}{ext}")
                written.append(Path(out_dir) / f"{stem}{ext}")
    return written
