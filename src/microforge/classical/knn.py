"""k-nearest-neighbours (scikit-learn `KNeighborsClassifier`, uniform weights, euclidean) as
constant tables, and its C: the training rows and their class indices in flash, a brute-force
search with squared distances in double, the k nearest kept on the stack.

Ties, as `KNeighborsClassifier.predict`: the decision is the mode of the k neighbours' labels
and, when several classes have as many votes, the smallest label (classes_ is sorted, so the
first maximum of the vote counts). Two training rows at exactly the same distance: the earlier
row (training order) is the nearer one. The training set must fit `FLASH_BUDGET` bytes."""

from __future__ import annotations

from typing import Any

import numpy as np

from microforge.classical.c_tables import c_array
from microforge.classical.tables import KnnTables, check_finite
from microforge.errors import ModelError

FLASH_BUDGET = 256 * 1024  # bytes of training rows + labels a knn may put in flash


def knn_tables(est: Any, flash_budget: int = FLASH_BUDGET) -> KnnTables:
    cls = type(est).__name__
    if getattr(est, "weights", "uniform") != "uniform":
        raise ModelError(f"knn: {cls}(weights={est.weights!r}) is not supported; "
                         "use weights='uniform'")
    if getattr(est, "effective_metric_", None) != "euclidean":
        raise ModelError(f"knn: {cls} metric {est.effective_metric_!r} is not supported; use "
                         "metric='minkowski' with p=2 (euclidean)")
    if getattr(est, "outputs_2d_", False):
        raise ModelError("knn: multi-output KNeighborsClassifier is not supported; fit one "
                         "output")
    fit_x = np.asarray(est._fit_X, np.float64)
    labels = np.asarray(est._y, np.int64).ravel()
    k = int(est.n_neighbors)
    check_finite("knn", fit_x)
    if k > len(fit_x):
        raise ModelError(f"knn: n_neighbors={k} is more than the {len(fit_x)} training rows; "
                         "lower n_neighbors")
    exact32 = bool(np.all(fit_x.astype(np.float32).astype(np.float64) == fit_x))
    train = fit_x.astype(np.float32) if exact32 else fit_x
    label_bytes = 1 if labels.max(initial=0) < 128 else 2
    size = train.nbytes + label_bytes * len(labels)
    if size > flash_budget:
        raise ModelError(f"knn: {len(fit_x)} training rows x {fit_x.shape[1]} features need "
                         f"{size:,} B of flash, over the {flash_budget:,} B budget; fit on a "
                         f"subsample (<= {int(flash_budget // (size / len(fit_x)))} rows) or "
                         "choose another kind")
    return KnnTables(train, labels, k)


def knn_c(t: KnnTables, n_scores: int, n_features: int) -> tuple[str, str]:
    """(tables, body of mf_<name>_scores): scores[c] = votes of class c."""
    n_train = len(t.labels)
    is32 = t.train.dtype == np.float32
    ctype = "float" if is32 else "double"
    ltype = "int8_t" if t.labels.max(initial=0) < 128 else "int16_t"
    tables = (c_array(ctype, "train", t.train, "f32" if is32 else "f64")
              + c_array(ltype, "labels", t.labels))
    k = t.k
    body = (
        f"    double best_d[{k}];\n    int32_t best_i[{k}];\n"
        "    int32_t i, n = 0;\n    int j, k;\n"
        f"    for (i = 0; i < {n_train}; ++i) {{\n"
        "        double d = 0.0;\n"
        f"        for (j = 0; j < {n_features}; ++j) {{\n"
        f"            double e = (double)x[j] - (double)train[i * {n_features} + j];\n"
        "            d += e * e;\n        }\n"
        f"        if (n < {k} || d < best_d[n - 1]) {{\n"
        f"            j = n < {k} ? n++ : n - 1;\n"
        "            while (j > 0 && best_d[j - 1] > d) {\n"
        "                best_d[j] = best_d[j - 1];\n                best_i[j] = best_i[j - 1];\n"
        "                --j;\n            }\n"
        "            best_d[j] = d;\n            best_i[j] = i;\n        }\n    }\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n        scores[k] = 0.0;\n    }}\n"
        f"    for (k = 0; k < {k}; ++k) {{\n        scores[labels[best_i[k]]] += 1.0;\n    }}\n"
    )
    return tables, body
