"""Constant tables -> one C99 file pair: `<name>.h` / `<name>.c` with
`int mf_<name>_predict(const float *x)` (the class index) and `mf_<name>_scores`. No malloc,
no mutable state: the tables are `static const`, the scores live on the caller's stack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.atomic import atomic_write_text
from microforge.c_literals import c_float_hex
from microforge.classical.knn import knn_c
from microforge.classical.tables import (
    GaussianNBTables,
    KnnTables,
    LinearTables,
    Tables,
    TreeTables,
)


@dataclass(frozen=True)
class EmittedClassical:
    name: str
    out_dir: Path
    n_features: int
    n_scores: int
    n_classes: int
    header: Path
    source: Path


def _dbl(v: float) -> str:
    return float(v).hex() if v != 0 else "0.0"


def _array(ctype: str, name: str, values: np.ndarray, fmt: object = None) -> str:
    flat = np.asarray(values).ravel()
    if fmt == "f32":
        items = [c_float_hex(float(v)) for v in flat]
    elif fmt == "f64":
        items = [_dbl(float(v)) for v in flat]
    else:
        items = [str(int(v)) for v in flat]
    lines = [", ".join(items[i:i + 8]) for i in range(0, len(items), 8)] or ["0"]
    body = ",\n    ".join(lines)
    return f"static const {ctype} {name}[{max(len(flat), 1)}] = {{\n    {body}\n}};\n"


def _index_type(n: int) -> str:
    return "int16_t" if n < 32768 else "int32_t"


def _trees(t: TreeTables, n_scores: int) -> tuple[str, str]:
    it = _index_type(max(len(t.feature), len(t.leaf_values)) + 1)
    tables = (
        _array(it, "feature", t.feature) + _array("float", "threshold", t.threshold, "f32")
        + _array(it, "left", t.left) + _array(it, "right", t.right)
        + _array("int32_t", "roots", t.roots)
        + _array("double", "leaf_values", t.leaf_values, "f64")
        + _array("double", "baseline", t.baseline, "f64")
    )
    n_trees = len(t.roots)
    cols = t.leaf_values.shape[1]
    if t.interleaved:
        add = (f"        scores[i % {n_scores}] += leaf_values[left[node]];\n")
    else:
        add = (f"        for (k = 0; k < {n_scores}; ++k) {{\n"
               f"            scores[k] += leaf_values[(int32_t)left[node] * {cols} + k];\n"
               "        }\n")
    avg = (f"    for (k = 0; k < {n_scores}; ++k) {{\n        scores[k] /= {n_trees}.0;\n    }}\n"
           if t.average else "")
    body = (
        "    int32_t i;\n    int k;\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n        scores[k] = baseline[k];\n    }}\n"
        f"    for (i = 0; i < {n_trees}; ++i) {{\n"
        "        int32_t node = roots[i];\n"
        "        while (feature[node] >= 0) {\n"
        "            node = x[feature[node]] <= threshold[node] ? left[node] : right[node];\n"
        "        }\n"
        f"{add}    }}\n{avg}"
    )
    return tables, body


def _linear(t: LinearTables, n_scores: int, n_features: int) -> tuple[str, str]:
    tables = _array("double", "coef", t.coef, "f64") + _array("double", "intercept",
                                                               t.intercept, "f64")
    body = (
        "    int k, j;\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n"
        "        double acc = 0.0;\n"
        f"        for (j = 0; j < {n_features}; ++j) {{\n"
        f"            acc += (double)x[j] * coef[k * {n_features} + j];\n"
        "        }\n"
        "        scores[k] = acc + intercept[k];\n"
        "    }\n"
    )
    return tables, body


def _gnb(t: GaussianNBTables, n_scores: int, n_features: int) -> tuple[str, str]:
    tables = (_array("double", "log_prior", t.log_prior, "f64")
              + _array("double", "norm_const", t.const, "f64")
              + _array("double", "mean", t.mean, "f64") + _array("double", "var", t.var, "f64"))
    body = (
        "    int k, j;\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n"
        "        double acc = 0.0;\n"
        f"        for (j = 0; j < {n_features}; ++j) {{\n"
        f"            double d = (double)x[j] - mean[k * {n_features} + j];\n"
        f"            acc += d * d / var[k * {n_features} + j];\n"
        "        }\n"
        "        scores[k] = log_prior[k] + (norm_const[k] - 0.5 * acc);\n"
        "    }\n"
    )
    return tables, body


def n_scores_of(t: Tables, n_classes: int) -> int:
    if isinstance(t, TreeTables):
        return len(t.baseline) if t.interleaved else t.leaf_values.shape[1]
    if isinstance(t, LinearTables):
        return len(t.intercept)
    if isinstance(t, KnnTables):
        return n_classes
    return len(t.log_prior)


def emit_c(t: Tables, name: str, out_dir: Path, n_features: int, n_classes: int,
           labels: list[str]) -> EmittedClassical:
    """Write `<name>.h` and `<name>.c` into out_dir."""
    n_scores = n_scores_of(t, n_classes)
    if isinstance(t, TreeTables):
        tables, body = _trees(t, n_scores)
    elif isinstance(t, LinearTables):
        tables, body = _linear(t, n_scores, n_features)
    elif isinstance(t, KnnTables):
        tables, body = knn_c(t, n_scores, n_features, _array)
    else:
        tables, body = _gnb(t, n_scores, n_features)
    up = name.upper()
    if n_scores == 1:
        decide = "    return s[0] > 0.0 ? 1 : 0;\n"
    else:
        decide = (f"    for (k = 1; k < {n_scores}; ++k) {{\n"
                  "        if (s[k] > s[best]) {\n            best = k;\n        }\n    }\n"
                  "    return best;\n")
    label_comment = "".join(f" *   {i}: {lab}\n" for i, lab in enumerate(labels)).replace("*/", "")
    header = (
        f"/* generated by microforge: classical model {name} */\n"
        f"#ifndef MF_{up}_H\n#define MF_{up}_H\n\n"
        f"#define MF_{up}_N_FEATURES {n_features}\n"
        f"#define MF_{up}_N_CLASSES {n_classes}\n"
        f"#define MF_{up}_N_SCORES {n_scores}\n\n"
        f"/* the raw scores scikit-learn decides from (decision_function, summed leaf values,\n"
        f" * joint log-likelihood, neighbour votes); x has MF_{up}_N_FEATURES floats */\n"
        f"void mf_{name}_scores(const float *x, double *scores);\n"
        f"/* the predicted class index:\n{label_comment} */\n"
        f"int mf_{name}_predict(const float *x);\n\n#endif\n"
    )
    source = (
        f"/* generated by microforge: classical model {name} */\n"
        f"#include <stdint.h>\n#include \"{name}.h\"\n\n{tables}\n"
        f"void mf_{name}_scores(const float *x, double *scores) {{\n{body}}}\n\n"
        f"int mf_{name}_predict(const float *x) {{\n"
        f"    double s[{n_scores}];\n    int best = 0;\n"
        + ("    int k;\n" if n_scores > 1 else "")
        + f"    mf_{name}_scores(x, s);\n{decide}}}\n"
    )
    if n_scores == 1:
        source = source.replace("    int best = 0;\n", "")
    out_dir.mkdir(parents=True, exist_ok=True)
    h, c = out_dir / f"{name}.h", out_dir / f"{name}.c"
    atomic_write_text(h, header)
    atomic_write_text(c, source)
    return EmittedClassical(name, out_dir, n_features, n_scores, n_classes, h, c)
