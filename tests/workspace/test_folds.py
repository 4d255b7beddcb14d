import numpy as np
import pytest

from microforge.config import SplitSection
from microforge.errors import ConfigError
from microforge.workspace.folds import make_folds


def dataset(n_groups: int = 12, per_group: int = 5, n_classes: int = 3):
    groups = np.repeat([f"s{i}" for i in range(n_groups)], per_group)
    labels = np.repeat(np.arange(n_groups) % n_classes, per_group)
    return groups, labels


def test_single_split_keeps_groups_whole_and_classes_in_train():
    groups, y = dataset()
    (fold,) = make_folds(groups, y, SplitSection(test_fraction=0.25, val_fraction=0.25))
    assert fold.is_final
    parts = {p: set(groups[fold.mask(p)]) for p in ("train", "val", "test")}
    assert not parts["train"] & parts["test"] and not parts["val"] & parts["test"]
    assert not parts["train"] & parts["val"]
    assert set(y[fold.mask("train")]) == {0, 1, 2}
    assert fold.mask("test").sum() > 0 and fold.mask("val").sum() > 0


def test_explicit_fold_groups_then_a_final_fold_without_test():
    groups, y = dataset(n_groups=9)
    split = SplitSection(val_fraction=0.0, fold_groups=[["s0", "s1", "s2"], ["s3", "s4", "s5"]])
    folds = make_folds(groups, y, split)
    assert [f.name for f in folds] == ["fold1", "fold2", "final"]
    assert set(groups[folds[0].mask("test")]) == {"s0", "s1", "s2"}
    assert set(groups[folds[1].mask("test")]) == {"s3", "s4", "s5"}
    assert folds[0].test_groups == ("s0", "s1", "s2")
    assert folds[-1].is_final and not folds[-1].mask("test").any()
    assert folds[-1].mask("train").all()  # val_fraction 0: everything trains


def test_k_folds_cover_every_group_once():
    groups, y = dataset(n_groups=12)
    folds = make_folds(groups, y, SplitSection(folds=4, val_fraction=0.2))
    tested = [g for f in folds[:-1] for g in f.test_groups]
    assert sorted(tested) == sorted(set(groups)) and len(tested) == len(set(tested))
    for fold in folds[:-1]:
        assert not set(groups[fold.mask("test")]) & set(groups[fold.mask("train")])
        assert fold.mask("val").sum() > 0


def test_unknown_fold_group_names_the_field_and_the_known_groups():
    groups, y = dataset(n_groups=4)
    with pytest.raises(ConfigError, match=r"split.fold_groups\[0\]: unknown group\(s\) s9"):
        make_folds(groups, y, SplitSection(fold_groups=[["s9"]]))


def test_describe_counts_windows_and_groups():
    groups, y = dataset(n_groups=6, per_group=2)
    folds = make_folds(groups, y, SplitSection(fold_groups=[["s0"]], val_fraction=0.0))
    text = folds[0].describe(groups)
    assert "test 2 windows/1 groups" in text and "test groups s0" in text
