"""A fitted LightGBM classifier (`lightgbm.LGBMClassifier`, the `lightgbm` extra) as the same
tree tables as scikit-learn's gradient boosting: LightGBM's own model dump (JSON) read node by
node, every field checked before it is used.

Why the C decides as `LGBMClassifier.predict`: LightGBM's raw score is, per class, 0.0 plus each
tree's leaf value in iteration order (tree t adds to class t % num_class), summed in double;
a numerical split goes left when the feature (a float32 widened to double) is <= its double
threshold, which for a float32 x is the same as x <= the largest float32 <= threshold (the
float32 comparison the C makes). Binary models decide raw > 0 (sigmoid > 0.5), multiclass the
first maximum of the raw scores (softmax keeps the order). What the C cannot reproduce is
refused: categorical splits, zero-as-missing splits (a 0.0 feature takes the default branch),
linear trees.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from microforge.classical.tables import TreeTables, check_finite, float32_floor
from microforge.errors import ModelError

_WHAT = "lightgbm"


def make_lgbm_classifier(**params: Any) -> Any:
    """An unfitted LGBMClassifier, or a one-line error naming the extra to install."""
    try:
        import lightgbm
    except ImportError:
        raise ModelError("model.architecture 'lightgbm' needs LightGBM: "
                         "pip install 'microforge[lightgbm]'") from None
    return lightgbm.LGBMClassifier(**params)


def _node_fields(node: dict[str, Any], tree: int) -> tuple[int, float, str]:
    where = f"{_WHAT}: tree {tree}"
    if node.get("decision_type") != "<=":
        raise ModelError(f"{where}: split type {node.get('decision_type')!r} is not supported "
                         "(categorical splits); fit without categorical_feature")
    if node.get("missing_type") == "Zero":
        raise ModelError(f"{where}: zero-as-missing splits are not supported; "
                         "fit with zero_as_missing=False")
    feature, threshold = node.get("split_feature"), node.get("threshold")
    if not isinstance(feature, int) or feature < 0:
        raise ModelError(f"{where}: split_feature {feature!r} is not a feature index")
    if not isinstance(threshold, (int, float)):
        raise ModelError(f"{where}: threshold {threshold!r} is not a number")
    return feature, float(threshold), str(node.get("missing_type"))


class _Flat:
    """Trees flattened in preorder into the TreeTables arrays."""

    def __init__(self) -> None:
        self.feature: list[int] = []
        self.threshold: list[float] = []
        self.left: list[int] = []
        self.right: list[int] = []
        self.leaves: list[float] = []

    def add(self, node: dict[str, Any], tree: int, depth: int = 0) -> int:
        if depth > 512:
            raise ModelError(f"{_WHAT}: tree {tree} is deeper than 512 levels")
        index = len(self.feature)
        if "leaf_value" in node:
            value = node["leaf_value"]
            if not isinstance(value, (int, float)):
                raise ModelError(f"{_WHAT}: tree {tree}: leaf_value {value!r} is not a number")
            self.feature.append(-1)
            self.threshold.append(0.0)
            self.left.append(len(self.leaves))
            self.right.append(0)
            self.leaves.append(float(value))
            return index
        feature, threshold, _ = _node_fields(node, tree)
        for key in ("left_child", "right_child"):
            if not isinstance(node.get(key), dict):
                raise ModelError(f"{_WHAT}: tree {tree}: a split without its {key}")
        self.feature.append(feature)
        self.threshold.append(threshold)
        self.left.append(-1)
        self.right.append(-1)
        self.left[index] = self.add(node["left_child"], tree, depth + 1)
        self.right[index] = self.add(node["right_child"], tree, depth + 1)
        return index


def lightgbm_tables(est: Any) -> TreeTables:
    """The tables of a fitted LGBMClassifier (its booster's dump, up to the best iteration)."""
    dump = est.booster_.dump_model()
    n_class = dump.get("num_tree_per_iteration")
    n_features = dump.get("max_feature_idx", -1) + 1
    if not isinstance(n_class, int) or n_class < 1:
        raise ModelError(f"{_WHAT}: num_tree_per_iteration {n_class!r} is not a class count")
    if any(t.get("is_linear") for t in dump.get("tree_info", [])) or \
            getattr(est, "linear_tree", False):
        raise ModelError(f"{_WHAT}: linear trees are not supported; fit with linear_tree=False")
    trees = dump.get("tree_info") or []
    if not trees or len(trees) % n_class:
        raise ModelError(f"{_WHAT}: {len(trees)} trees is not a whole number of iterations "
                         f"of {n_class}")
    flat, roots = _Flat(), []
    for i, info in enumerate(trees):
        structure = info.get("tree_structure")
        if not isinstance(structure, dict):
            raise ModelError(f"{_WHAT}: tree {i} has no tree_structure")
        roots.append(flat.add(structure, i))
    feature = np.asarray(flat.feature, np.int32)
    if feature.max(initial=-1) >= n_features:
        raise ModelError(f"{_WHAT}: a split reads feature {int(feature.max())} of {n_features}")
    threshold = np.asarray(flat.threshold, np.float64)
    leaves = np.asarray(flat.leaves, np.float64)[:, None]
    check_finite(_WHAT, threshold, leaves)
    return TreeTables(feature, float32_floor(threshold), np.asarray(flat.left, np.int32),
                      np.asarray(flat.right, np.int32), np.asarray(roots, np.int32), leaves,
                      np.zeros(n_class), average=bool(dump.get("average_output")),
                      interleaved=True, binary_threshold=n_class == 1)
