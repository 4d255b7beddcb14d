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
    if not split.folds and not split.fold_groups:
        parts = split_by_group(
            groups, split.test_fraction, split.val_fraction, split.seed, labels=y
        )
        return [Fold("split", np.asarray(parts).astype(str), is_final=True)]

    if split.fold_groups:
        known = set(groups)
        test_sets = []
        for i, fold in enumerate(split.fold_groups):
            missing = [g for g in fold if g not in known]
            if missing:
                raise ConfigError(
                    f"split.fold_groups[{i}]: unknown group(s) {', '.join(missing)}; "
                    f"groups in the data: {', '.join(sorted(known)[:12])}"
                )
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


def _train_val(groups: np.ndarray, y: np.ndarray, split: SplitSection) -> np.ndarray:
    """Split groups into train and val only (val_fraction of the groups)."""
    from microforge.data.splits import split_by_group

    if split.val_fraction == 0:
        return np.full(len(groups), "train", dtype=object)
    # split_by_group with a tiny test fraction would still hold a group out: ask for val only.
    parts = split_by_group(groups, split.val_fraction, 0.0, split.seed, labels=y)
    parts = np.asarray(parts).astype(object)
    parts[parts == "test"] = "val"
    return parts


def _natural(text: str):
    return (0, int(text)) if text.isdigit() else (1, text)
