"""`microforge demo`: the whole pipeline on a synthetic machine-vibration dataset, no download.

The demo writes a folder-per-label CSV dataset (3-axis accelerometer with timestamps) and a
microforge.toml next to it, then runs the same `Project.run` a user's project runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from microforge.config import ProjectConfig, parse_config

if TYPE_CHECKING:
    from microforge.pipeline.summary import RunSummary

DEMO_CONFIG = {
    "project": {"name": "demo"},
    "dataset": {"path": "dataset", "format": "csv", "timestamp_column": "timestamp"},
    "windowing": {"window_ms": 1280, "stride_ms": 640, "padding": "drop"},
    "split": {"seed": 0, "test_fraction": 0.25, "val_fraction": 0.2},
    "dsp": {"block": "raw", "params": {"normalize": True}},
    "model": {"architecture": "cnn1d", "width": 1.0},
    "training": {"epochs": 25, "batch_size": 32, "early_stopping_patience": 6},
    "quantization": {"representative_samples": 200},
    "target": {
        "board": "arduino_nano_33_ble_sense",
        "compare": ["nucleo_l4r5zi", "raspberry_pi_pico", "esp32"],
    },
}


def write_demo_project(out: str | Path, seed: int = 0) -> ProjectConfig:
    """The demo project in `<out>-data/`: the dataset and a microforge.toml whose output folder
    is `out`, so that `microforge verify/deploy <out>-data` find the run."""
    import tomllib

    from microforge.data.synthetic import write_machine_dataset

    out = Path(out)
    data_root = out.parent / f"{out.name}-data"
    write_machine_dataset(data_root / "dataset", seed=seed)
    output_dir = os.path.relpath(out.resolve(), data_root.resolve())
    config_text = _to_toml({**DEMO_CONFIG, "project": {"name": "demo", "output_dir": output_dir}},
                           seed)
    (data_root / "microforge.toml").write_text(config_text, encoding="utf-8")
    return parse_config(tomllib.loads(config_text), str(data_root / "microforge.toml"), data_root)


def run_demo(out: str | Path, seed: int = 0, console: Console | None = None) -> RunSummary:
    """Generate the dataset under `<out>-data/`, run the pipeline into `out`."""
    from microforge.project import Project

    return Project(write_demo_project(out, seed), console).run(out)


def _to_toml(config: dict, seed: int) -> str:
    """A small TOML writer for the demo config (flat tables of scalars, strings and lists)."""
    lines = ["# written by `microforge demo`"]
    config = {**config, "split": {**config["split"], "seed": seed},
              "training": {**config["training"], "seed": seed}}
    for section, values in config.items():
        nested = {k: v for k, v in values.items() if isinstance(v, dict)}
        lines.append(f"\n[{section}]")
        lines += [f"{k} = {_value(v)}" for k, v in values.items() if k not in nested]
        for name, table in nested.items():
            lines.append(f"\n[{section}.{name}]")
            lines += [f"{k} = {_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return repr(value)
