"""What the fitted DSP block does to raw samples, in words and exact constants, for the README
and the example of a package (the whole pipeline's or a bare model's with dsp.json beside it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.dsp.base import DspBlock
from microforge.dsp.params import params_to_dict
from microforge.errors import ConfigError
from microforge.workspace.rundir import RunDir

MAX_LISTED = 16  # longer tables are summarised (their length, min, max)


def _values(values: np.ndarray) -> str:
    flat = np.asarray(values, dtype=np.float32).ravel()
    if flat.size <= MAX_LISTED:
        return "[" + ", ".join(f"{float(v):.9g}" for v in flat) + "]"
    return (f"{flat.size} values in [{float(flat.min()):.6g}, {float(flat.max()):.6g}] "
            "(all of them in dsp.json)")


def describe_block(block: DspBlock) -> list[str]:
    """One line per fact: the block, its parameters, the window, each fitted table."""
    params = ", ".join(f"{k}={v}" for k, v in params_to_dict(block.params).items())
    lines = [f"DSP block `{block.name}` ({params or 'default parameters'})",
             f"window: {block.win_len} samples x {block.n_channels} channels at "
             f"{float(block.sample_rate or 0):g} Hz, interleaved [time][channel]"]
    for name, values in block.tables().items():
        lines.append(f"{name}: {_values(values)}")
    if block.name == "raw" and "feature_mean" in block.tables():
        lines.append("features = (sample - feature_mean[channel]) / feature_std[channel] * "
                     f"{getattr(block.params, 'scale', 1.0):g}")
    return lines


def preprocessing_beside(model_path: Path) -> tuple[list[str], Path | None]:
    """The description of the dsp.json in the model's folder (a project's run folder), and
    that file; ([], None) when there is none."""
    run = RunDir(Path(model_path).parent)
    if not run.dsp_json.is_file():
        return [], None
    try:
        block = run.load_dsp()
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken sidecar is the user's file to fix
        raise ConfigError(f"{run.dsp_json}: not a microforge DSP state ({exc}); fix or "
                          "remove it") from exc
    if block.sample_rate is None:
        return [], None
    return describe_block(block), run.dsp_json
