"""Class names for the example programs: labels.json beside the model, else "class N"."""

from __future__ import annotations

import json
from pathlib import Path

from microforge.errors import ConfigError

LABELS_FILE = "labels.json"


def load_labels(model_path: Path, n_outputs: int) -> tuple[list[str], Path | None]:
    """The names of output 0's `n_outputs` values and the labels.json they came from (None:
    generated "class N"). A labels.json that does not match the model is a ConfigError."""
    path = Path(model_path).parent / LABELS_FILE
    if not path.is_file():
        return [f"class {i}" for i in range(n_outputs)], None
    try:
        labels = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc}); fix or remove it") from exc
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise ConfigError(f"{path}: must be a JSON list of class names (strings)")
    if len(labels) != n_outputs:
        raise ConfigError(f"{path}: {len(labels)} class names but the model's output 0 has "
                          f"{n_outputs} values; fix or remove {LABELS_FILE}")
    return list(labels), path


