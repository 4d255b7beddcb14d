"""The C of tree ensembles over the compact layout (`tree_layout`): node arrays walked by a
loop (`walk_tables`) or each tree as nested ifs (`walk_inline`), both `mf_leaf(x, tree)` ->
leaf code, the leaf codes summed in tree order.

Classifier forests (pure-leaf codes) count the pure leaves of each class in an int32 for as
long as every leaf that class got was pure: that count is exactly the double scikit-learn's
sum holds then. The first non-pure leaf adding to a class turns its count into that double and
the sum goes on in double, in the same order as scikit-learn's. When every class is still a
count, the decision is the first maximum count (distinct counts stay distinct after the division
by the number of trees); otherwise the doubles are divided and compared as scikit-learn does."""

from __future__ import annotations

import numpy as np

from microforge.classical.c_tables import c_array, c_double
from microforge.classical.tree_layout import CompactTrees, ctype_for


def _mask_type(n_cols: int) -> str | None:
    return next((f"uint{b}_t" for b in (8, 16, 32) if n_cols <= b), None)


FEATURE_TYPES = {"float": "float", "int16": "int16_t"}  # features= -> the C type of x


def int_thresholds(ct: CompactTrees) -> np.ndarray:
    """For integer features: x <= t exactly when x <= floor(t); clamped to [-32769, 32767]
    (below every int16: never left; 32767: always left), so they fit int16 where they can."""
    return np.clip(np.floor(ct.threshold.astype(np.float64)), -32769, 32767).astype(np.int64)


def _thresholds(ct: CompactTrees, xt: str) -> str:
    if xt == "float":
        return c_array("float", "threshold", ct.threshold, "f32")
    t = int_thresholds(ct)
    return c_array(ctype_for(t), "threshold", t)


def walk_tables(ct: CompactTrees, xt: str = "float") -> str:
    """The node arrays, the roots, the leaf rows and `mf_leaf(x, tree)` -> leaf code; x is
    `xt` (float, or int16_t with integer thresholds)."""
    child = ctype_for(np.concatenate([ct.left, ct.right, ct.roots]))
    return (c_array(ctype_for(ct.feature), "feature", ct.feature) + _thresholds(ct, xt)
            + c_array(child, "left", ct.left) + c_array(child, "right", ct.right)
            + c_array(child, "roots", ct.roots) + _rows(ct) + (
                "\n/* the leaf code tree `tree` reaches */\n"
                f"static int32_t mf_leaf(const {xt} *x, int32_t tree) {{\n"
                "    int32_t node = roots[tree];\n"
                "    while (node >= 0) {\n"
                "        node = x[feature[node]] <= threshold[node] ? left[node] : right[node];\n"
                "    }\n"
                "    return -node - 1;\n}\n"))


def _rows(ct: CompactTrees) -> str:
    code = ("float", "f32") if ct.row_float32 else ("double", "f64")
    return c_array(code[0], "rows", ct.rows, code[1])


def _bits_test(feature: int, threshold: np.float32) -> str:
    """C for `x[feature] <= threshold` on the float's bits (finite x, threshold not -0.0):
    for threshold >= 0 the signed bits order as the floats (negative x: negative ints); for
    threshold < 0, x <= threshold exactly when x is negative with a magnitude >= its own,
    which is the unsigned order of the bits."""
    bits = int(np.asarray(threshold, np.float32).view(np.int32))
    if bits >= 0:
        return f"mf_bits(x, {feature}) <= {bits}"
    return f"(uint32_t)mf_bits(x, {feature}) >= {bits & 0xFFFFFFFF}u"


def inline_depth(ct: CompactTrees) -> int:
    """The deepest path of any tree (internal nodes on it)."""
    depth = 0
    for root in ct.roots:
        stack = [(int(root), 0)]
        while stack:
            node, d = stack.pop()
            if node < 0:
                depth = max(depth, d)
                continue
            stack += [(int(ct.left[node]), d + 1), (int(ct.right[node]), d + 1)]
    return depth


def walk_inline(ct: CompactTrees, xt: str = "float") -> str:
    """Each tree as nested ifs on the features' bits (an integer load and compare per node;
    int16_t features: the integer itself), returning its leaf code; `mf_leaf(x, tree)` calls
    tree `tree`."""
    ints = int_thresholds(ct) if xt != "float" else None

    def node_c(code: int, depth: int) -> str:
        ind = "    " * depth
        if code < 0:
            return f"{ind}return {-code - 1};\n"
        test = (_bits_test(int(ct.feature[code]), ct.threshold[code]) if ints is None
                else f"x[{int(ct.feature[code])}] <= {int(ints[code])}")
        return (f"{ind}if ({test}) {{\n{node_c(int(ct.left[code]), depth + 1)}{ind}}}\n"
                + node_c(int(ct.right[code]), depth))

    trees = "".join(f"static int32_t mf_tree_{i}(const {xt} *x) {{\n{node_c(int(r), 1)}}}\n\n"
                    for i, r in enumerate(ct.roots))
    table = ", ".join(f"mf_tree_{i}" for i in range(len(ct.roots)))
    bits = ("\n/* the bits of feature f (memcpy: no type punning; one load) */\n"
            "static int32_t mf_bits(const float *x, int f) {\n"
            "    int32_t v;\n    memcpy(&v, &x[f], sizeof v);\n    return v;\n}\n\n"
            if ints is None else "\n")
    return (_rows(ct) + bits + trees
            + f"static int32_t (*const mf_tree[{len(ct.roots)}])(const {xt} *x) = {{{table}}};\n\n"
            "/* the leaf code tree `tree` reaches */\n"
            f"static int32_t mf_leaf(const {xt} *x, int32_t tree) {{\n"
            "    return mf_tree[tree](x);\n}\n")


def sum_body(ct: CompactTrees, n_scores: int, baseline: np.ndarray, interleaved: bool,
             average: bool) -> str:
    """`scores[k]` = baseline, then each tree's leaf row in tree order (/ n_trees)."""
    n_trees, cols = len(ct.roots), ct.rows.shape[1]
    if interleaved:
        add = f"        scores[i % {n_scores}] += rows[mf_leaf(x, i)];\n"
    else:
        add = ("        int32_t r = mf_leaf(x, i);\n"
               f"        for (k = 0; k < {n_scores}; ++k) {{\n"
               f"            scores[k] += rows[r * {cols} + k];\n        }}\n")
    avg = (f"    for (k = 0; k < {n_scores}; ++k) {{\n        scores[k] /= {n_trees}.0;\n    }}\n"
           if average else "")
    base = ", ".join(c_double(v) for v in baseline)
    return (f"    static const double base[{n_scores}] = {{{base}}};\n"
            "    int32_t i;\n    int k;\n"
            f"    for (k = 0; k < {n_scores}; ++k) {{\n        scores[k] = base[k];\n    }}\n"
            f"    for (i = 0; i < {n_trees}; ++i) {{\n{add}    }}\n{avg}")


def classifier_helpers(ct: CompactTrees, n_scores: int, average: bool, xt: str = "float") -> str:
    """Tables for the row masks and `mf_votes` / `mf_finish` (see the module docstring)."""
    n_trees, n_pure = len(ct.roots), ct.n_pure
    mask_t = _mask_type(n_scores)
    out = ""
    if mask_t is not None:
        masks = [sum(1 << k for k in range(n_scores) if r[k] != 0.0) for r in ct.rows]
        out += c_array(mask_t, "row_mask", np.asarray(masks, np.int64))
    test = "(row_mask[r] >> k & 1u) != 0u" if mask_t is not None else "1"
    div = f" / {n_trees}.0" if average else ""
    out += (
        "\n/* cnt[k] >= 0: class k got pure leaves only, cnt[k] of them (its sum, exactly);\n"
        " * cnt[k] < 0: its sum is s[k] */\n"
        f"static void mf_votes(const {xt} *x, int32_t *cnt, double *s) {{\n"
        "    int32_t i;\n    int k;\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n        cnt[k] = 0;\n        s[k] = 0.0;\n    }}\n"
        f"    for (i = 0; i < {n_trees}; ++i) {{\n"
        "        int32_t c = mf_leaf(x, i);\n"
        f"        if (c < {n_pure}) {{\n"
        "            if (cnt[c] >= 0) {\n                ++cnt[c];\n"
        "            } else {\n                s[c] += 1.0;\n            }\n"
        "        } else {\n"
        f"            int32_t r = c - {n_pure};\n"
        f"            for (k = 0; k < {n_scores}; ++k) {{\n"
        f"                if ({test}) {{\n"
        "                    if (cnt[k] >= 0) {\n"
        "                        s[k] = (double)cnt[k];\n                        cnt[k] = -1;\n"
        "                    }\n"
        f"                    s[k] += rows[r * {n_scores} + k];\n"
        "                }\n            }\n        }\n    }\n}\n\n"
        "/* the scores scikit-learn decides from */\n"
        "static void mf_finish(const int32_t *cnt, const double *s, double *scores) {\n"
        "    int k;\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n"
        f"        scores[k] = (cnt[k] >= 0 ? (double)cnt[k] : s[k]){div};\n    }}\n}}\n")
    return out


def fixed_scale(n_trees: int) -> int:
    """The fixed point of the certified sums: n_trees * 2**scale fits an int32."""
    scale = 0
    while scale < 30 and n_trees << (scale + 1) < 2 ** 31:
        scale += 1
    return scale


def certified_tables(ct: CompactTrees, n_scores: int, macro: str) -> str:
    """Each row value rounded to the fixed point of `fixed_scale`, and per row a mask of the
    values that rounding changed (inexact)."""
    scale = fixed_scale(len(ct.roots))
    fx = np.rint(ct.rows * 2.0 ** scale).astype(np.int64)
    inexact = fx != ct.rows * 2.0 ** scale
    masks = [sum(1 << k for k in range(n_scores) if bad[k]) for bad in inexact]
    mask_t = _mask_type(n_scores) or "uint32_t"
    if _mask_type(n_scores) is None:
        return ""
    return (f"#ifndef {macro}\n" + c_array("int32_t", "rows_fx", fx)
            + c_array(mask_t, "row_inexact", np.asarray(masks, np.int64)) + "#endif\n")


def classifier_bodies(ct: CompactTrees, n_scores: int, macro: str) -> tuple[str, str]:
    """(scores body, predict body). predict first sums the leaves in int32 fixed point
    (`certified_tables`): each class's sum is within n_trees / 2 units of the real one, exact
    for a class whose every value was exact; when the first maximum beats every other class by
    more than n_trees + 1 units (or both are exact) scikit-learn's double sums order them
    alike, and that is the decision. Otherwise (a near tie), or with `macro` defined, the
    exact double sums of `mf_votes` decide."""
    n_trees, n_pure = len(ct.roots), ct.n_pure
    scores = (f"    int32_t cnt[{n_scores}];\n    double s[{n_scores}];\n"
              "    mf_votes(x, cnt, s);\n    mf_finish(cnt, s, scores);\n")
    exact = (
        f"    int32_t cnt[{n_scores}];\n    double s[{n_scores}];\n"
        "    int k, best = 0, counts = 1;\n"
        "    mf_votes(x, cnt, s);\n"
        f"    for (k = 0; k < {n_scores}; ++k) {{\n"
        "        counts = counts && cnt[k] >= 0;\n    }\n"
        "    if (counts) {\n"
        f"        for (k = 1; k < {n_scores}; ++k) {{\n"
        "            if (cnt[k] > cnt[best]) {\n                best = k;\n            }\n"
        "        }\n        return best;\n    }\n"
        "    mf_finish(cnt, s, s);\n"
        f"    for (k = 1; k < {n_scores}; ++k) {{\n"
        "        if (s[k] > s[best]) {\n            best = k;\n        }\n    }\n"
        "    return best;\n")
    if _mask_type(n_scores) is None:
        return scores, exact
    one = 1 << fixed_scale(n_trees)
    fast = (
        f"#ifndef {macro}\n"
        "    {\n"
        f"        int32_t f[{n_scores}];\n        uint32_t inexact = 0u;\n"
        "        int32_t i;\n        int k, best = 0, certain = 1;\n"
        f"        for (k = 0; k < {n_scores}; ++k) {{\n            f[k] = 0;\n        }}\n"
        f"        for (i = 0; i < {n_trees}; ++i) {{\n"
        "            int32_t c = mf_leaf(x, i);\n"
        f"            if (c < {n_pure}) {{\n                f[c] += {one};\n"
        "            } else {\n"
        f"                int32_t r = c - {n_pure};\n"
        "                uint32_t m = row_mask[r];\n"
        "                inexact |= row_inexact[r];\n"
        "                for (k = 0; m != 0u; ++k, m >>= 1) {\n"
        "                    if ((m & 1u) != 0u) {\n"
        f"                        f[k] += rows_fx[r * {n_scores} + k];\n"
        "                    }\n                }\n            }\n        }\n"
        f"        for (k = 1; k < {n_scores}; ++k) {{\n"
        "            if (f[k] > f[best]) {\n                best = k;\n            }\n        }\n"
        f"        for (k = 0; k < {n_scores}; ++k) {{\n"
        "            if (k != best && ((inexact >> best | inexact >> k) & 1u) != 0u\n"
        f"                    && f[best] - f[k] <= {n_trees + 1}) {{\n"
        "                certain = 0;\n            }\n        }\n"
        "        if (certain) {\n            return best;\n        }\n"
        "    }\n"
        f"#endif\n")
    return scores, fast + exact
