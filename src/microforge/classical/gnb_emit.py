"""The C of Gaussian naive Bayes: a float32 pass with a proven error bound decides, and the
double pass (the scores) decides the near ties.

Every mean and inverse variance is stored as a float32 pair, hi = float32(v) and
lo = float32(v - hi): the float pass reads hi only (the M4F's FPU), the double pass
hi + lo (v to about 2^-48 relative), so no table is stored twice. With u = 2^-24, n features,
S = the float sum of (x - mean)^2 / var over the features and M = sum mean^2 / var (a
constant per class), the float joint log-likelihood jll = C - S / 2 is within
    u * ((n + 6) * S + M + 2 |C| + 2 |jll|)
of the exact one (rounding of the means, inverse variances and C to float32, of each
difference, square and product, and of the n-term sum; a factor 2 over the first-order bound
covers the rest and the double sums scikit-learn computes). When the first maximum beats every
other class by more than the two bounds, scikit-learn's argmax is that class."""

from __future__ import annotations

import numpy as np

from microforge.classical.c_tables import c_array
from microforge.classical.tables import GaussianNBTables


def _hi_lo(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hi = v.astype(np.float32)
    return hi, (v - hi.astype(np.float64)).astype(np.float32)


def gnb_tables(t: GaussianNBTables, macro: str) -> str:
    mean_hi, mean_lo = _hi_lo(np.asarray(t.mean, np.float64))
    ivar_hi, ivar_lo = _hi_lo(1.0 / np.asarray(t.var, np.float64))
    c = np.asarray(t.log_prior, np.float64) + np.asarray(t.const, np.float64)
    m = np.sum(mean_hi.astype(np.float64) ** 2 * ivar_hi.astype(np.float64), axis=1)
    return (c_array("double", "log_prior", t.log_prior, "f64")
            + c_array("double", "norm_const", t.const, "f64")
            + c_array("float", "mean_hi", mean_hi, "f32")
            + c_array("float", "mean_lo", mean_lo, "f32")
            + c_array("float", "ivar_hi", ivar_hi, "f32")
            + c_array("float", "ivar_lo", ivar_lo, "f32")
            + f"#ifndef {macro}\n"
            + c_array("float", "class_c", c.astype(np.float32), "f32")
            + c_array("float", "class_m", m.astype(np.float32), "f32")
            + "#endif\n")


def gnb_scores(n_scores: int, n_features: int) -> str:
    """The double joint log-likelihoods (hi + lo)."""
    return (
        "    int k, j;\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n"
        "        double acc = 0.0;\n"
        f"        for (j = 0; j < {n_features}; ++j) {{\n"
        f"            int32_t i = k * {n_features} + j;\n"
        "            double d = (double)x[j] - ((double)mean_hi[i] + (double)mean_lo[i]);\n"
        "            acc += d * d * ((double)ivar_hi[i] + (double)ivar_lo[i]);\n"
        "        }\n"
        "        scores[k] = log_prior[k] + (norm_const[k] - 0.5 * acc);\n"
        "    }\n"
    )


def gnb_predict(name: str, n_scores: int, n_features: int, macro: str) -> str:
    """The float pass, certified by the bound of the module docstring, then the double one."""
    u = "5.9604644775390625e-08f"  # 2^-24
    return (
        f"#ifndef {macro}\n"
        "    {\n"
        f"        float jll[{n_scores}], bound[{n_scores}];\n"
        "        int k, j, best = 0, certain = 1;\n"
        f"        for (k = 0; k < {n_scores}; ++k) {{\n"
        f"            const float *m = &mean_hi[k * {n_features}];\n"
        f"            const float *iv = &ivar_hi[k * {n_features}];\n"
        "            float s = 0.0f, a;\n"
        f"            for (j = 0; j < {n_features}; ++j) {{\n"
        "                float d = x[j] - m[j];\n"
        "                s += d * d * iv[j];\n"
        "            }\n"
        "            jll[k] = class_c[k] - 0.5f * s;\n"
        "            a = (class_c[k] < 0.0f ? -class_c[k] : class_c[k])\n"
        "                + (jll[k] < 0.0f ? -jll[k] : jll[k]);\n"
        f"            bound[k] = {u} * ({n_features + 6}.0f * s + class_m[k] + 2.0f * a);\n"
        "        }\n"
        f"        for (k = 1; k < {n_scores}; ++k) {{\n"
        "            if (jll[k] > jll[best]) {\n                best = k;\n            }\n        }\n"
        f"        for (k = 0; k < {n_scores}; ++k) {{\n"
        "            /* written so that NaN (an overflow) is uncertain too */\n"
        "            if (k != best && !(jll[best] - jll[k] > bound[best] + bound[k])) {\n"
        "                certain = 0;\n            }\n        }\n"
        "        if (certain) {\n            return best;\n        }\n"
        "    }\n"
        "#endif\n"
        f"    {{\n        double s[{n_scores}];\n        int k, best = 0;\n"
        f"        mf_{name}_scores(x, s);\n"
        f"        for (k = 1; k < {n_scores}; ++k) {{\n"
        "            if (s[k] > s[best]) {\n                best = k;\n            }\n        }\n"
        "        return best;\n    }\n"
    )
