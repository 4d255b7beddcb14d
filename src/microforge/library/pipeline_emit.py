"""<name>_pipeline.h/.c: the streaming pipeline around the generated DSP and model.

The generated code only wires: a window buffer, the DSP block's `<prefix>_features`, feature
quantization with the model's input scale/zero point, `mf_<name>_invoke`, post-processing and
the user's callback. The algorithms are the hand-written runtime files under
`runtime/pipeline/` (PIPELINE_RUNTIME), copied beside the generated files.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from microforge.c_literals import c_float_hex, c_string
from microforge.errors import ConfigError
from microforge.paths import RUNTIME_DIR
from microforge.postprocess.params import PostprocessParams, ScoreQuant
from microforge.version import __version__

PIPELINE_RUNTIME_DIR = RUNTIME_DIR / "pipeline"
PIPELINE_RUNTIME = ("mf_window_buffer", "mf_postprocess", "mf_feature_quant")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("microforge.library", "templates"),
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
)


@dataclass(frozen=True)
class PipelineConstants:
    """Everything the generated pipeline fixes at compile time."""

    name: str  # C name: mf_<name>_pipeline_*, the model is mf_<name>_invoke
    dsp_prefix: str  # the DSP block's C prefix: <dsp_prefix>_features()
    window_len: int
    channels: int
    stride: int  # samples between window starts
    n_features: int
    sample_rate: float
    labels: tuple[str, ...]
    input_quant: ScoreQuant
    output_quant: ScoreQuant
    input_in_arena: bool  # the model reads its input from mf_<name>_input0()
    postprocess: PostprocessParams
    rounding: str = "nearest"  # "nearest" | "truncate": features -> the model's int8/int16
    source: str = "a microforge project"
    # a classical model instead of the int8 network: the C function deciding a window from
    # its float features (mf_<name>_predict / mf_<name>_is_anomaly); its decision becomes
    # one-hot int8 scores (output_quant scale 1, zero point 0) for the post-processing
    classical_call: str | None = None
    monitor: bool = False  # the pipeline feeds mf_<name>_monitor_* (microforge.monitor)

    def __post_init__(self) -> None:
        for what, ident in (("name", self.name), ("DSP prefix", self.dsp_prefix)):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", ident):
                raise ConfigError(f"pipeline {what} {ident!r} is not a C identifier")
        if min(self.window_len, self.channels, self.stride, self.n_features) < 1:
            raise ConfigError("pipeline window length, channels, stride and features must be >= 1")
        if self.rounding not in ("nearest", "truncate"):
            raise ConfigError(f"feature rounding {self.rounding!r}; one of nearest, truncate")
        if not self.labels:
            raise ConfigError("the pipeline needs at least one class label")
        if self.output_quant.bits == 16 and self.output_quant.zero_point != 0:
            raise ConfigError("int16 scores need zero point 0 (TFLite's 16x8 scheme): the "
                              "post-processing keeps them in int16")


def c_float(value: float) -> str:
    """A pipeline constant as an exact (hexadecimal) C float literal."""
    try:
        return c_float_hex(value)
    except ValueError:
        raise ConfigError(f"non-finite constant {value!r} in the pipeline") from None


def render_pipeline(c: PipelineConstants) -> dict[str, str]:
    """{"<name>_pipeline.h": ..., "<name>_pipeline.c": ...}."""
    params = c.postprocess
    factors = params.score_factors(c.output_quant)
    prefix = f"mf_{c.name}"
    values = {
        "name": c.name, "prefix": prefix, "macro": prefix.upper(), "version": __version__,
        "source": c.source.replace("*/", "* /"), "dsp_prefix": c.dsp_prefix,
        "window_len": c.window_len, "channels": c.channels, "stride": c.stride,
        "sample_rate": f"{float(c.sample_rate)!r}", "n_features": c.n_features,
        "n_classes": len(c.labels), "mode": params.mode,
        "average_windows": params.average_windows,
        "factors": ", ".join(c_float(f) for f in factors),
        "ignore": ", ".join(str(int(v)) for v in params.ignore_flags(list(c.labels))),
        "labels": ", ".join(c_string(label) for label in c.labels),
        "threshold": c_float(params.threshold), "suppression_ms": f"{params.suppression_ms:g}",
        "suppression": params.suppression_samples(c.sample_rate),
        "output_scale": f"{c.output_quant.scale!r}", "output_zero_point": c.output_quant.zero_point,
        "input_scale": f"{c.input_quant.scale!r}", "input_scale_c": c_float(c.input_quant.scale),
        "input_zero_point": c.input_quant.zero_point, "rounding": c.rounding,
        "rounding_c": "MF_ROUND_TRUNCATE" if c.rounding == "truncate" else "MF_ROUND_NEAREST",
        "input_ctype": c.input_quant.c_type, "input_bytes": c.input_quant.bytes,
        "output_ctype": c.output_quant.c_type, "output_bytes": c.output_quant.bytes,
        "input_in_arena": c.input_in_arena, "classical_call": c.classical_call or "",
        "monitor": c.monitor,
    }
    return {
        f"{c.name}_pipeline.h": _ENV.get_template("pipeline.h.j2").render(**values),
        f"{c.name}_pipeline.c": _ENV.get_template("pipeline.c.j2").render(**values),
    }


def write_pipeline(c: PipelineConstants, out_dir: Path) -> list[Path]:
    """The generated pipeline files and the runtime files they use, into out_dir."""
    out_dir = Path(out_dir)
    written = []
    for filename, text in render_pipeline(c).items():
        (out_dir / filename).write_text(text, encoding="utf-8")
        written.append(out_dir / filename)
    for stem in PIPELINE_RUNTIME:
        for ext in (".h", ".c"):
            shutil.copy2(PIPELINE_RUNTIME_DIR / f"{stem}{ext}", out_dir / f"{stem}{ext}")
            written.append(out_dir / f"{stem}{ext}")
    return written
