"""A fitted scikit-learn estimator -> C99 sources (checked, then written)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from microforge.classical.emit import LAYOUTS, EmittedClassical, emit_c
from microforge.classical.kinds import kind_of
from microforge.errors import ConfigError, ModelError


def compile_estimator(estimator: Any, out_dir: str | os.PathLike[str] | None = None,
                      name: str = "model", layout: str = "tables",
                      features: str = "float") -> EmittedClassical:
    """Write `<name>.h/.c` for a fitted classifier; out_dir None: a new temporary folder.
    layout (tree models): "tables" or "inline"; features: "float" or "int16" (tree models
    fitted on integer features; see `emit_c`). Unsupported or unfitted
    estimators are a ModelError before anything is written."""
    if layout not in LAYOUTS:
        raise ConfigError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ConfigError(f"model name {name!r} is not a C identifier; use letters, digits, _")
    kind = kind_of(estimator)
    tables = kind.tables(estimator)
    n_features = int(getattr(estimator, "n_features_in_", 0))
    if n_features <= 0:
        raise ModelError(f"{type(estimator).__name__}: fitted without n_features_in_; refit it")
    labels = [str(c) for c in estimator.classes_]
    target = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="mf_cl_"))
    return emit_c(tables, name, target, n_features, len(labels), labels, layout, features)
