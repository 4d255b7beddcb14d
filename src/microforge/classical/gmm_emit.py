"""The C of the Gaussian mixture detector: the anomaly flag from a float32 pass with a proven
error bound, the double pass (the score) only when the float score is too close to the
threshold.

scikit-learn's precision Cholesky factors are upper triangular: only the upper triangle is
stored, column by column (y_j = sum over i <= j of (x_i - mean_i) L_ij). Means and factors
are float32 when they are exactly float32 (a mixture fitted on float32 features), else float32
hi/lo pairs (the float pass reads hi). With u = 2^-24, d = x - mean (float), D = max |d_i|,
per column j: |y_j - y*_j| <= e_j = u (Mu_j + (j + 3) D La_j) (Mu_j = sum |mean_i L_ij|,
La_j = sum |L_ij|, constants), so q = sum y_j^2 is within sum (2 |y_j| e_j + e_j^2)
+ (n + 1) u q, and each log-density l = C - q / 2 within half that + u (|C| + |l|). The
log-sum-exp moves by at most the largest of these; expf/logf (taken within 4 ulp) and the
sums add (k + 8) u (1 + log k) + 2 u |lse|. Twice that sum is the bound: when the float score
is farther than it from the threshold, the exact score is on the same side."""

from __future__ import annotations

import numpy as np

from microforge.classical.c_tables import c_array
from microforge.classical.detectors import QuadTables


def _f32_exact(v: np.ndarray) -> bool:
    return bool(np.array_equal(v.astype(np.float32).astype(np.float64), v))


def _pair(name: str, v: np.ndarray) -> tuple[str, str]:
    """C tables for v and the C expression of its double value at index `i` (hi [+ lo])."""
    hi = v.astype(np.float32)
    if _f32_exact(v):
        return c_array("float", name, hi, "f32"), f"(double){name}[i]"
    lo = (v - hi.astype(np.float64)).astype(np.float32)
    return (c_array("float", name, hi, "f32") + c_array("float", f"{name}_lo", lo, "f32"),
            f"((double){name}[i] + (double){name}_lo[i])")


def is_upper(chol: np.ndarray) -> bool:
    return bool(np.all(np.tril(chol, -1) == 0.0))


def gmm_c(t: QuadTables, n: int, name: str, macro: str) -> tuple[str, str, str]:
    """(tables, score body, is_anomaly body) for an upper-triangular `t.chol`."""
    assert t.chol is not None
    k = len(t.mean)
    mean = np.asarray(t.mean, np.float64)
    chol = np.asarray(t.chol, np.float64)
    packed = np.stack([np.concatenate([chol[c, : j + 1, j] for j in range(n)])
                       for c in range(k)])  # column j: rows 0..j, at j (j + 1) / 2
    p = packed.shape[1]
    mu_abs = np.stack([[np.sum(np.abs(mean[c, : j + 1] * chol[c, : j + 1, j]))
                        for j in range(n)] for c in range(k)])
    l_abs = np.stack([[np.sum(np.abs(chol[c, : j + 1, j])) for j in range(n)]
                      for c in range(k)])
    mean_c, mean_d = _pair("mean", mean)
    chol_c, chol_d = _pair("chol", packed)
    tables = (mean_c + chol_c + c_array("double", "cst", t.const, "f64")
              + f"#ifndef {macro}\n"
              + c_array("float", "cst32", np.asarray(t.const).astype(np.float32), "f32")
              + c_array("float", "mu_abs", mu_abs.astype(np.float32), "f32")
              + c_array("float", "l_abs", l_abs.astype(np.float32), "f32")
              + "#endif\n")
    score = (
        f"    double l[{k}], d[{n}];\n    double m, s = 0.0;\n    int c, i, j;\n"
        f"    for (c = 0; c < {k}; ++c) {{\n"
        "        double q = 0.0;\n"
        f"        const int32_t at = c * {p};\n"
        f"        for (i = 0; i < {n}; ++i) {{\n"
        f"            d[i] = (double)x[i] - {mean_d.replace('[i]', f'[c * {n} + i]')};\n"
        "        }\n"
        f"        for (j = 0; j < {n}; ++j) {{\n"
        "            double y = 0.0;\n"
        "            for (i = 0; i <= j; ++i) {\n"
        f"                y += d[i] * {chol_d.replace('[i]', '[at + j * (j + 1) / 2 + i]')};\n"
        "            }\n            q += y * y;\n        }\n"
        "        l[c] = cst[c] - 0.5 * q;\n    }\n"
        f"    m = l[0];\n    for (c = 1; c < {k}; ++c) {{\n"
        "        if (l[c] > m) {\n            m = l[c];\n        }\n    }\n"
        f"    for (c = 0; c < {k}; ++c) {{\n        s += exp(l[c] - m);\n    }}\n"
        "    return -(m + log(s));\n")
    u = "5.9604644775390625e-08f"  # 2^-24
    logk = float(np.log(k))
    up = name.upper()
    flag = (
        f"#ifndef {macro}\n"
        "    {\n"
        f"        float l[{k}], d[{n}];\n"
        "        float m, s = 0.0f, lse, err = 0.0f, bound, alse;\n"
        "        double gap;\n        int c, i, j;\n"
        f"        for (c = 0; c < {k}; ++c) {{\n"
        "            float q = 0.0f, eq = 0.0f, dmax = 0.0f, e, al, ac;\n"
        f"            const float *col = &chol[c * {p}];\n"
        f"            for (i = 0; i < {n}; ++i) {{\n"
        f"                d[i] = x[i] - mean[c * {n} + i];\n"
        "                if ((d[i] < 0.0f ? -d[i] : d[i]) > dmax) {\n"
        "                    dmax = d[i] < 0.0f ? -d[i] : d[i];\n                }\n"
        "            }\n"
        f"            for (j = 0; j < {n}; ++j) {{\n"
        "                float y = 0.0f;\n"
        "                for (i = 0; i <= j; ++i) {\n"
        "                    y += d[i] * col[i];\n                }\n"
        "                col += j + 1;\n"
        f"                e = {u} * (mu_abs[c * {n} + j] + (float)(j + 3) * dmax"
        f" * l_abs[c * {n} + j]);\n"
        "                q += y * y;\n"
        "                eq += 2.0f * (y < 0.0f ? -y : y) * e + e * e;\n"
        "            }\n"
        f"            eq += {n + 1}.0f * {u} * q;\n"
        "            l[c] = cst32[c] - 0.5f * q;\n"
        "            al = l[c] < 0.0f ? -l[c] : l[c];\n"
        "            ac = cst32[c] < 0.0f ? -cst32[c] : cst32[c];\n"
        f"            e = 0.5f * eq + {u} * (ac + al);\n"
        "            if (e > err) {\n                err = e;\n            }\n"
        "        }\n"
        f"        m = l[0];\n        for (c = 1; c < {k}; ++c) {{\n"
        "            if (l[c] > m) {\n                m = l[c];\n            }\n        }\n"
        f"        for (c = 0; c < {k}; ++c) {{\n            s += expf(l[c] - m);\n        }}\n"
        "        lse = m + logf(s);\n"
        "        alse = lse < 0.0f ? -lse : lse;\n"
        f"        bound = 2.0f * (err + {u} * ({(k + 8) * (1.0 + logk)!r}f + 2.0f * alse));\n"
        f"        gap = -(double)lse - MF_{up}_THRESHOLD;\n"
        "        /* written so that NaN or infinity (an overflow) goes to the double pass */\n"
        "        if (gap > (double)bound && gap < 1e300) {\n            return 1;\n        }\n"
        "        if (-gap > (double)bound && -gap < 1e300) {\n            return 0;\n        }\n"
        "    }\n"
        "#endif\n"
        f"    return mf_{name}_score(x) > MF_{up}_THRESHOLD ? 1 : 0;\n")
    return tables, score, flag

