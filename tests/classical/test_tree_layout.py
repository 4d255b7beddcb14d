"""The compact tree layout: internal nodes only, leaf codes in the children, pure leaves as
class indices, deduplicated rows, narrow types; walking it reaches scikit-learn's leaves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")

from microforge.classical.kinds import KINDS
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers
from microforge.classical.tables import TreeTables
from microforge.classical.tree_layout import compact, ctype_for


def _two_trees() -> TreeTables:
    # tree 0: node 0 splits x0 <= -0.0 -> leaf row 0 (pure class 1) | leaf row 1 (0.5, 0.5)
    # tree 1: a single leaf, row 2 (0.5, 0.5 again)
    return TreeTables(
        feature=np.array([0, -1, -1, -1], np.int32),
        threshold=np.array([-0.0, 0.0, 0.0, 0.0]),
        left=np.array([1, 0, 1, 2], np.int32), right=np.array([2, 0, 0, 0], np.int32),
        roots=np.array([0, 3], np.int32),
        leaf_values=np.array([[0.0, 1.0], [0.5, 0.5], [0.5, 0.5]]),
        baseline=np.zeros(2), average=True, interleaved=False, binary_threshold=False)


def test_pure_leaves_become_class_codes_and_rows_are_deduplicated() -> None:
    ct = compact(_two_trees(), pure_codes=True)
    assert ct.n_pure == 2 and ct.rows.tolist() == [[0.5, 0.5]] and ct.row_float32
    assert ct.left.tolist() == [-(1 + 1)]    # pure class 1 -> code 1
    assert ct.right.tolist() == [-(2 + 1)]   # the (0.5, 0.5) row -> code n_pure + 0
    assert ct.roots.tolist() == [0, -(2 + 1)]  # a one-leaf tree's root is its leaf code
    assert np.signbit(ct.threshold).tolist() == [False]  # -0.0 -> +0.0: same comparisons


def test_without_pure_codes_every_leaf_is_a_row() -> None:
    ct = compact(_two_trees(), pure_codes=False)
    assert ct.n_pure == 0 and ct.rows.tolist() == [[0.0, 1.0], [0.5, 0.5]]
    assert ct.left.tolist() == [-1] and ct.right.tolist() == [-2]


def test_ctype_for_picks_the_narrowest() -> None:
    assert ctype_for(np.array([0, 255])) == "uint8_t"
    assert ctype_for(np.array([-1, 127])) == "int8_t"
    assert ctype_for(np.array([-129, 5])) == "int16_t"
    assert ctype_for(np.array([0, 40000])) == "uint16_t"
    assert ctype_for(np.array([-40000, 5])) == "int32_t"


def test_walking_the_layout_reaches_sklearns_leaf_rows(shared_data: Path) -> None:
    x_train, y_train, x_test, _ = har_features(shared_data)
    est = reference_classifiers()["random_forest"]().fit(x_train, y_train)
    ct = compact(KINDS.get("random_forest").tables(est), pure_codes=True)
    n_leaves = sum(e.tree_.n_leaves for e in est.estimators_)
    assert ct.n_pure + len(ct.rows) < n_leaves / 10  # pure codes + deduplicated rows
    eye = np.eye(ct.n_pure)
    for x in x_test[:50]:
        for t, root in enumerate(ct.roots):
            node = int(root)
            while node >= 0:
                go_left = x[ct.feature[node]] <= ct.threshold[node]
                node = int(ct.left[node] if go_left else ct.right[node])
            code = -node - 1
            row = eye[code] if code < ct.n_pure else ct.rows[code - ct.n_pure]
            expected = est.estimators_[t].predict_proba(x[None])[0]
            np.testing.assert_array_equal(row, expected)
