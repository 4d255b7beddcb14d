"""The estimator kinds microforge compiles, by config name (`[model] kind`), each with the
scikit-learn class it takes and the function reading a fitted one into constant tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.classical.tables import (
    GaussianNBTables,
    LinearTables,
    Tables,
    TreeTables,
    check_finite,
    float32_floor,
)
from microforge.errors import ModelError
from microforge.registry import Registry


@dataclass(frozen=True)
class Kind:
    name: str
    sklearn_class: str        # e.g. "RandomForestClassifier"
    make: Callable[..., Any]  # (**params) -> an unfitted estimator
    tables: Callable[[Any], Tables]


KINDS: Registry[Kind] = Registry("classical model kind", field="model.kind",
                                load=lambda: _load())


def _register(name: str, sklearn_class: str, make: Callable[..., Any],
              tables: Callable[[Any], Tables]) -> None:
    KINDS.register(name, Kind(name, sklearn_class, make, tables))


def _sk_trees(name: str, trees: list[Any], *, normalize: bool, average: bool) -> TreeTables:
    feats, thrs, lefts, rights, roots, leaves = [], [], [], [], [], []
    base = 0
    n_leaf = 0
    for t in trees:
        tree = t.tree_
        if tree.n_outputs != 1:
            raise ModelError(f"{name}: multi-output trees are not supported; fit one output")
        is_leaf = tree.children_left < 0
        value = tree.value[:, 0, :].astype(np.float64)
        if normalize:
            norm = value.sum(axis=1, keepdims=True)
            norm[norm == 0.0] = 1.0
            value = value / norm
        leaf_row = np.cumsum(is_leaf) - 1 + n_leaf
        feats.append(np.where(is_leaf, -1, tree.feature).astype(np.int32))
        thrs.append(np.where(is_leaf, 0.0, tree.threshold))
        lefts.append(np.where(is_leaf, leaf_row, tree.children_left + base).astype(np.int32))
        rights.append(np.where(is_leaf, 0, tree.children_right + base).astype(np.int32))
        leaves.append(value[is_leaf])
        roots.append(base)
        base += tree.node_count
        n_leaf += int(is_leaf.sum())
    leaf_values = np.concatenate(leaves)
    threshold = np.concatenate(thrs)
    check_finite(name, threshold, leaf_values)
    return TreeTables(np.concatenate(feats), float32_floor(threshold), np.concatenate(lefts),
                      np.concatenate(rights), np.asarray(roots, np.int32), leaf_values,
                      np.zeros(leaf_values.shape[1]), average, interleaved=False,
                      binary_threshold=False)


def _decision_tree(est: Any) -> Tables:
    return _sk_trees("decision_tree", [est], normalize=False, average=False)


def _forest(name: str) -> Callable[[Any], Tables]:
    def tables(est: Any) -> Tables:
        # scikit-learn >= 1.4 stores class fractions in tree_.value and a forest sums them
        # as they are (re-normalising them is 1 ulp off on some leaves)
        return _sk_trees(name, list(est.estimators_), normalize=False, average=True)
    return tables


def _hist_gradient_boosting(est: Any) -> Tables:
    feats, thrs, lefts, rights, roots, leaves = [], [], [], [], [], []
    base = 0
    n_leaf = 0
    for iteration in est._predictors:
        for pred in iteration:
            nodes = pred.nodes
            if np.any(nodes["is_categorical"]):
                raise ModelError("gradient_boosting: categorical splits are not supported; "
                                 "fit without categorical_features")
            is_leaf = nodes["is_leaf"].astype(bool)
            leaf_row = np.cumsum(is_leaf) - 1 + n_leaf
            feats.append(np.where(is_leaf, -1, nodes["feature_idx"]).astype(np.int32))
            thrs.append(np.where(is_leaf, 0.0, nodes["num_threshold"]))
            lefts.append(np.where(is_leaf, leaf_row, nodes["left"].astype(np.int64) + base)
                         .astype(np.int32))
            rights.append(np.where(is_leaf, 0, nodes["right"].astype(np.int64) + base)
                          .astype(np.int32))
            leaves.append(nodes["value"][is_leaf].astype(np.float64)[:, None])
            roots.append(base)
            base += len(nodes)
            n_leaf += int(is_leaf.sum())
    leaf_values = np.concatenate(leaves)
    threshold = np.concatenate(thrs)
    baseline = np.asarray(est._baseline_prediction, np.float64).ravel()
    check_finite("gradient_boosting", threshold, leaf_values, baseline)
    return TreeTables(np.concatenate(feats), float32_floor(threshold), np.concatenate(lefts),
                      np.concatenate(rights), np.asarray(roots, np.int32), leaf_values,
                      baseline, average=False, interleaved=True,
                      binary_threshold=baseline.size == 1)


def _linear(name: str) -> Callable[[Any], Tables]:
    def tables(est: Any) -> Tables:
        coef = np.atleast_2d(np.asarray(est.coef_, np.float64))
        intercept = np.atleast_1d(np.asarray(est.intercept_, np.float64))
        check_finite(name, coef, intercept)
        return LinearTables(coef, intercept)
    return tables


def _gaussian_nb(est: Any) -> Tables:
    var = np.asarray(est.var_, np.float64)
    mean = np.asarray(est.theta_, np.float64)
    with np.errstate(divide="ignore"):
        log_prior = np.log(est.class_prior_)
    const = np.array([-0.5 * np.sum(np.log(2.0 * np.pi * v)) for v in var])
    check_finite("gaussian_nb", var, mean, log_prior, const)
    return GaussianNBTables(log_prior, const, mean, var)


def _load() -> None:
    from sklearn import ensemble, linear_model, naive_bayes, neighbors, svm, tree

    from microforge.classical.knn import knn_tables
    from microforge.classical.lightgbm_trees import lightgbm_tables, make_lgbm_classifier

    _register("decision_tree", "DecisionTreeClassifier", tree.DecisionTreeClassifier,
              _decision_tree)
    _register("random_forest", "RandomForestClassifier", ensemble.RandomForestClassifier,
              _forest("random_forest"))
    _register("extra_trees", "ExtraTreesClassifier", ensemble.ExtraTreesClassifier,
              _forest("extra_trees"))
    _register("gradient_boosting", "HistGradientBoostingClassifier",
              ensemble.HistGradientBoostingClassifier, _hist_gradient_boosting)
    _register("logistic_regression", "LogisticRegression", linear_model.LogisticRegression,
              _linear("logistic_regression"))
    _register("linear_svm", "LinearSVC", svm.LinearSVC, _linear("linear_svm"))
    _register("gaussian_nb", "GaussianNB", naive_bayes.GaussianNB, _gaussian_nb)
    _register("knn", "KNeighborsClassifier", neighbors.KNeighborsClassifier, knn_tables)
    _register("lightgbm", "LGBMClassifier", make_lgbm_classifier, lightgbm_tables)


def kind_of(estimator: Any) -> Kind:
    """The kind of a fitted estimator, or a ModelError naming it and the supported ones."""
    cls = type(estimator).__name__
    for _, kind in KINDS.items():
        if kind.sklearn_class == cls:
            if not hasattr(estimator, "classes_"):
                raise ModelError(f"{cls} is not fitted; call fit() before compiling it")
            return kind
    from microforge.classical.detectors import supported_detectors

    supported = ", ".join([k.sklearn_class for _, k in KINDS.items()] + supported_detectors())
    raise ModelError(f"unsupported estimator {cls}; supported: {supported}")
