"""Which windows train, validate and test: one split by group, or cross-validation by group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.config import SplitSection
from microforge.errors import ConfigError


@dataclass
class Fold:
    name: str
    split: np.ndarray  # per window: "train" | "val" | "test"
    is_final: bool  # the fold whose model is exported
    test_groups: tuple[str, ...] = ()

    def mask(self, part: str) -> np.ndarray:
        return self.split == part

    def describe(self, groups: np.ndarray) -> str:
        counts = {p: int(self.mask(p).sum()) for p in ("train", "val", "test")}
        n_groups = {p: len(set(groups[self.mask(p)])) for p in ("train", "val", "test")}
        text = ", ".join(f"{p} {counts[p]} windows/{n_groups[p]} groups" for p in counts)
        if self.test_groups:
            text += f"; test groups {', '.join(self.test_groups)}"
        return text


def make_folds(groups: np.ndarray, y: np.ndarray, split: SplitSection) -> list[Fold]:
    """Folds to evaluate. Without cross-validation: one final fold with a held-out test split.

    With cross-validation (`folds` or `fold_groups`): one fold per held-out group set, then a
    final fold trained on every group (a validation split only, for early stopping), whose
    model is the one exported; its accuracy is the cross-validated estimate.
    """
    from microforge.data.splits import group_kfold, split_by_group

    groups = np.asarray(groups).astype(str)
    for field in ("test_groups", "val_groups"):
        _check_known(groups, getattr(split, field) or [], f"split.{field}")
    if not split.folds and not split.fold_groups:
        if split.test_groups is not None:
            test_mask = np.isin(groups, split.test_groups)
            parts = np.full(len(groups), "test", dtype=object)
            parts[~test_mask] = _train_val(groups[~test_mask], y[~test_mask], split)
        else:
            parts = np.asarray(split_by_group(groups, split.test_fraction, split.val_fraction,
                                              split.seed, labels=y)).astype(object)
            if split.val_groups:
                parts[(parts == "val") & ~np.isin(groups, split.val_groups)] = "train"
                parts[np.isin(groups, split.val_groups) & (parts != "test")] = "val"
        parts = np.asarray(parts).astype(str)
        test_groups = tuple(sorted(set(groups[parts == "test"]), key=_natural))
        return [Fold("split", parts, is_final=True, test_groups=test_groups)]

    if split.fold_groups:
        test_sets = []
        for i, fold in enumerate(split.fold_groups):
            _check_known(groups, fold, f"split.fold_groups[{i}]")
            test_sets.append(np.isin(groups, fold))
    else:
        test_sets = [np.isin(groups, list(g)) for g in group_kfold(groups, split.folds, split.seed)]

    folds = []
    for i, test_mask in enumerate(test_sets):
        rest = ~test_mask
        parts = np.full(len(groups), "test", dtype=object)
        parts[rest] = _train_val(groups[rest], y[rest], split)
        test_groups = tuple(sorted(set(groups[test_mask]), key=_natural))
        folds.append(Fold(f"fold{i + 1}", parts.astype(str), False, test_groups))
    final = _train_val(groups, y, split)
    folds.append(Fold("final", np.asarray(final).astype(str), is_final=True))
    return folds


def _check_known(groups: np.ndarray, named, field: str) -> None:
    known = set(groups)
    missing = [g for g in named if g not in known]
    if missing:
        raise ConfigError(f"{field}: unknown group(s) {', '.join(missing)}; groups in the "
                          f"data: {', '.join(sorted(known, key=_natural)[:12])}")


def _train_val(groups: np.ndarray, y: np.ndarray, split: SplitSection) -> np.ndarray:
    """Split groups into train and val only: the val_groups when named, else val_fraction of
    the groups."""
    from microforge.data.splits import split_by_group

    if split.val_groups:
        return np.where(np.isin(groups, split.val_groups), "val", "train").astype(object)
    if split.val_fraction == 0:
        return np.full(len(groups), "train", dtype=object)
    # split_by_group with a tiny test fraction would still hold a group out: ask for val only.
    parts = split_by_group(groups, split.val_fraction, 0.0, split.seed, labels=y)
    parts = np.asarray(parts).astype(object)
    parts[parts == "test"] = "val"
    return parts


def _natural(text: str):
    return (0, int(text)) if text.isdigit() else (1, text)


def evaluation_warnings(folds: list[Fold], groups: np.ndarray, y: np.ndarray,
                        classes: list[str], min_class_windows: int) -> list[str]:
    """What makes an evaluation untrustworthy, one sentence each: a fold trained on fewer
    than two groups, a class with fewer than `min_class_windows` training windows in a fold,
    a class present in only one group (its test windows and training windows cannot come
    from different groups)."""
    groups, y = np.asarray(groups).astype(str), np.asarray(y)
    lines = []
    for index, name in enumerate(classes):
        holders = sorted(set(groups[y == index]), key=_natural)
        if len(holders) == 1:
            lines.append(f"class {name!r} is present in only one group ({holders[0]}): it is "
                         "never tested on a group it was not trained on; record it in more "
                         "groups")
    for fold in folds:
        train = fold.mask("train")
        train_groups = sorted(set(groups[train]), key=_natural)
        if len(train_groups) < 2:
            what = f"1 group ({train_groups[0]})" if train_groups else "no group"
            lines.append(f"{fold.name}: trains on {what}; lower split.val_fraction or "
                         "split.test_fraction, or add groups")
        counts = np.bincount(y[train], minlength=len(classes))
        for index, name in enumerate(classes):
            if counts[index] < min_class_windows:
                lines.append(f"{fold.name}: class {name!r} has {int(counts[index])} training "
                             f"window(s) (fewer than split.min_class_windows = "
                             f"{min_class_windows})")
    return lines
