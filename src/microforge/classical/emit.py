"""Constant tables -> one C99 file pair: `<name>.h` / `<name>.c` with
`int mf_<name>_predict(const float *x)` (the class index) and `mf_<name>_scores`. No malloc,
no mutable state: the tables are `static const`, the scores live on the caller's stack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.atomic import atomic_write_text
from microforge.classical.c_tables import c_array as _array
from microforge.classical.gnb_emit import gnb_predict, gnb_scores, gnb_tables
from microforge.classical.knn import knn_c
from microforge.classical.tables import KnnTables, LinearTables, Tables, TreeTables
from microforge.classical.tree_emit import (
    FEATURE_TYPES,
    certified_tables,
    classifier_bodies,
    classifier_helpers,
    inline_depth,
    sum_body,
    walk_inline,
    walk_tables,
)
from microforge.classical.tree_layout import compact
from microforge.errors import ConfigError, ModelError


@dataclass(frozen=True)
class EmittedClassical:
    name: str
    out_dir: Path
    n_features: int
    n_scores: int
    n_classes: int
    header: Path
    source: Path
    feature_type: str = "float"  # the C type of x: float, or int16_t (features="int16")


def _trees(t: TreeTables, n_scores: int, name: str, layout: str, xt: str
           ) -> tuple[str, str, str | None]:
    classifier = not t.interleaved and n_scores > 1 and not np.any(t.baseline)
    ct = compact(t, pure_codes=classifier)
    if layout == "inline" and inline_depth(ct) > MAX_INLINE_DEPTH:
        raise ModelError(f"{name}: trees {inline_depth(ct)} deep are too deep for "
                         f"layout='inline' (at most {MAX_INLINE_DEPTH}); use layout='tables'")
    tables = walk_inline(ct, xt) if layout == "inline" else walk_tables(ct, xt)
    if not classifier:
        return tables, sum_body(ct, n_scores, t.baseline, t.interleaved, t.average), None
    macro = f"MF_{name.upper()}_EXACT_ONLY"  # defined: the exact double path decides alone
    scores, predict = classifier_bodies(ct, n_scores, macro)
    tables += (classifier_helpers(ct, n_scores, t.average, xt)
               + certified_tables(ct, n_scores, macro))
    return tables, scores, predict


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


def n_scores_of(t: Tables, n_classes: int) -> int:
    if isinstance(t, TreeTables):
        return len(t.baseline) if t.interleaved else t.leaf_values.shape[1]
    if isinstance(t, LinearTables):
        return len(t.intercept)
    if isinstance(t, KnnTables):
        return n_classes
    return len(t.log_prior)


LAYOUTS = ("tables", "inline")
MAX_INLINE_DEPTH = 64


def emit_c(t: Tables, name: str, out_dir: Path, n_features: int, n_classes: int,
           labels: list[str], layout: str = "tables", features: str = "float"
           ) -> EmittedClassical:
    """Write `<name>.h` and `<name>.c` into out_dir. layout (tree models): "tables" (node
    arrays walked by a loop) or "inline" (each tree as nested ifs: faster, more flash).
    features (tree models): "float", or "int16" for integer features (ADC counts, fixed-point
    DSP): x is int16_t and the thresholds are integers of the narrowest type."""
    if features not in FEATURE_TYPES:
        raise ConfigError(f"features {features!r} is not one of {', '.join(FEATURE_TYPES)}")
    if features != "float" and not isinstance(t, TreeTables):
        raise ConfigError(f"features={features!r} is for tree models (decision_tree, "
                          "random_forest, extra_trees, gradient_boosting, lightgbm); this model "
                          "takes float features")
    xt = FEATURE_TYPES[features]
    n_scores = n_scores_of(t, n_classes)
    predict: str | None = None
    if isinstance(t, TreeTables):
        tables, body, predict = _trees(t, n_scores, name, layout, xt)
    elif isinstance(t, LinearTables):
        tables, body = _linear(t, n_scores, n_features)
    elif isinstance(t, KnnTables):
        tables, body = knn_c(t, n_scores, n_features)
    else:
        macro = f"MF_{name.upper()}_EXACT_ONLY"  # defined: the double pass decides alone
        tables, body = gnb_tables(t, macro), gnb_scores(n_scores, n_features)
        predict = gnb_predict(name, n_scores, n_features, macro)
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
        f" * joint log-likelihood, neighbour votes); x has MF_{up}_N_FEATURES {xt} values */\n"
        f"void mf_{name}_scores(const {xt} *x, double *scores);\n"
        f"/* the predicted class index:\n{label_comment} */\n"
        f"int mf_{name}_predict(const {xt} *x);\n\n#endif\n"
    )
    if predict is None:
        predict = (f"    double s[{n_scores}];\n" + ("    int best = 0;\n    int k;\n"
                                                      if n_scores > 1 else "")
                   + f"    mf_{name}_scores(x, s);\n{decide}")
    source = (
        f"/* generated by microforge: classical model {name} */\n"
        f"#include <stdint.h>\n{'#include <string.h>' + chr(10) if 'memcpy' in tables else ''}"
        f"#include \"{name}.h\"\n\n{tables}\n"
        f"void mf_{name}_scores(const {xt} *x, double *scores) {{\n{body}}}\n\n"
        f"int mf_{name}_predict(const {xt} *x) {{\n{predict}}}\n"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    h, c = out_dir / f"{name}.h", out_dir / f"{name}.c"
    atomic_write_text(h, header)
    atomic_write_text(c, source)
    return EmittedClassical(name, out_dir, n_features, n_scores, n_classes, h, c, xt)
