"""A candidate: the project's microforge.toml with one trial's sampled values applied.

The candidate is a whole config document (what `--apply` writes), validated like the user's
own, so a sampled value the project cannot use is a one-line ConfigError naming the field.
Rules applied on top of the sampled values:

- `windowing.stride_fraction` sets `windowing.stride_ms` to that fraction of the window;
- a sampled `dsp.block` other than the project's starts from that block's defaults (the
  project's `[dsp.params]` belong to its own block);
- flat DSP features (spectral) are classified by `dense`; a 2-D network for 2-D features;
- `quantization.variant` sets `[quantization] variant` (ptq_int8, qat or ptq_16x8, which
  `microforge run` makes and the C pipeline deploys);
- `[search] max_epochs` caps `[training] epochs` (and QAT's `[optimize] finetune_epochs`);
- without a validation split in `[split]`, `[search] val_fraction` of the groups is one: the
  accuracy a trial is ranked by is measured on it, never on the test groups.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microforge.config import ProjectConfig, load_config, parse_config
from microforge.errors import ConfigError
from microforge.search.space import Value

FLAT_ARCHITECTURE = "dense"


@dataclass
class Candidate:
    params: dict[str, Value]  # the trial's sampled values, by dimension name
    document: dict[str, Any]  # the candidate's microforge.toml
    config: ProjectConfig
    variant: str  # ptq_int8 | qat | ptq_16x8


def read_document(config_path: Path) -> dict[str, Any]:
    """The project's microforge.toml as a TOML document (validated by load_config first)."""
    load_config(config_path)
    return tomllib.loads(config_path.read_text(encoding="utf-8"))


def config_file(path: str | Path) -> Path:
    path = Path(path)
    return path / "microforge.toml" if path.is_dir() else path


def make_candidate(config_path: Path, document: dict[str, Any], params: dict[str, Value],
                   max_epochs: int | None, val_fraction: float) -> Candidate:
    """The candidate config for `params` (ConfigError naming the field if it is not valid)."""
    doc = copy.deepcopy(document)
    variant = str(doc.get("quantization", {}).get("variant", "ptq_int8"))
    base_block = doc.get("dsp", {}).get("block", "raw")
    new_block = params.get("dsp.block", base_block)
    if new_block != base_block:
        doc.setdefault("dsp", {})["params"] = {}
    for name, value in params.items():
        if name == "quantization.variant":
            # a config field `microforge run` honours (16x8 too: the C pipeline takes int16)
            variant = str(value)
            _set(doc, name, variant)
        elif name == "windowing.stride_fraction":
            continue
        else:
            _set(doc, name, value)
    if "windowing.stride_fraction" in params:
        window = float(doc.get("windowing", {}).get("window_ms", 1000.0))
        _set(doc, "windowing.stride_ms",
             round(window * float(params["windowing.stride_fraction"]), 2))
    dsp = doc.get("dsp", {})
    if _feature_rank(str(dsp.get("block", "raw")), dsp.get("params", {})) == 1:
        doc.setdefault("model", {})["architecture"] = FLAT_ARCHITECTURE
    training = doc.setdefault("training", {})
    if max_epochs is not None:
        training["epochs"] = min(int(training.get("epochs", 30)), max_epochs)
        if variant == "qat":  # the fine-tuning epochs too
            optimize = doc.setdefault("optimize", {})
            optimize["finetune_epochs"] = min(int(optimize.get("finetune_epochs", 10)),
                                              max_epochs)
    split = doc.setdefault("split", {})
    if not split.get("val_groups") and float(split.get("val_fraction", 0.15)) == 0:
        split["val_fraction"] = val_fraction
    config = parse_config(doc, f"{config_path} (search candidate {_short(params)})",
                          config_path.parent.resolve())
    if config.is_classical:
        raise ConfigError(f"{config_path}: search trains Keras networks; "
                          f"{config.model.architecture} is a classical model")
    return Candidate(params, doc, config, variant)


def _feature_rank(block: str, params: dict[str, Any]) -> int:
    from microforge.dsp import make_block

    if block == "image":
        return 3
    return len(make_block(block, params).feature_shape(1024, 1, 16000.0))


def _set(doc: dict[str, Any], path: str, value: Value) -> None:
    keys = path.split(".")
    table = doc
    for key in keys[:-1]:
        child = table.setdefault(key, {})
        if not isinstance(child, dict):
            raise ConfigError(f"search.space: {path}: {key} is not a table in the config")
        table = child
    table[keys[-1]] = value


def _short(params: dict[str, Value]) -> str:
    return ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in params.items())
