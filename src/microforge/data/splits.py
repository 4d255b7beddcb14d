"""Train/val/test splits and folds by group: no group (subject, speaker...) in two parts."""

from __future__ import annotations

import numpy as np

from microforge.errors import DataError

_ATTEMPTS = 200


def split_by_group(
    groups: np.ndarray,
    test_fraction: float,
    val_fraction: float,
    seed: int,
    labels: np.ndarray | None = None,
) -> np.ndarray:
    """"train"/"val"/"test" per sample, deterministic by seed, whole groups per part.

    Fractions count groups. With `labels`, groups of a single class are drawn per class
    (stratified) and otherwise the draw is repeated until every class is in train, where possible.
    """
    groups = np.asarray(groups).astype(str)
    names, index = np.unique(groups, return_inverse=True)
    n_test, n_val = _part_sizes(len(names), test_fraction, val_fraction)
    rng = np.random.default_rng(seed)
    if labels is None:
        return _assign(rng.permutation(len(names)), n_test, n_val)[index]
    _, label_index = np.unique(np.asarray(labels), return_inverse=True)
    pairs = np.unique(np.stack([index, label_index], axis=1), axis=0)
    counts = np.bincount(pairs[:, 0], minlength=len(names))
    if (counts == 1).all():
        group_label = np.empty(len(names), dtype=np.int64)
        group_label[pairs[:, 0]] = pairs[:, 1]
        parts = _stratified(group_label, test_fraction, val_fraction, rng)
        if parts is not None:
            return parts[index]
    all_classes = set(label_index.tolist())
    first = None
    for _ in range(_ATTEMPTS):
        parts = _assign(rng.permutation(len(names)), n_test, n_val)
        first = parts if first is None else first
        train = np.isin(pairs[:, 0], np.flatnonzero(parts == "train"))
        if set(pairs[train, 1].tolist()) == all_classes:
            return parts[index]
    assert first is not None, "_ATTEMPTS >= 1"
    return first[index]


def group_kfold(groups: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """k disjoint sets of test groups (sorted names), sizes differing by at most one."""
    names = np.unique(np.asarray(groups).astype(str))
    if k < 2:
        raise DataError(f"split.folds: {k}; cross-validation needs at least 2 folds")
    if k > len(names):
        raise DataError(
            f"split.folds: {k} folds but only {len(names)} groups; use at most {len(names)} folds"
        )
    order = np.random.default_rng(seed).permutation(names)
    return [np.sort(order[i::k]) for i in range(k)]


def explicit_folds(groups: np.ndarray, fold_groups: list[list[str]]) -> list[np.ndarray]:
    """Given test group lists, checked: known groups only, none in two folds."""
    known = set(np.asarray(groups).astype(str).tolist())
    seen: dict[str, int] = {}
    folds = []
    for i, fold in enumerate(fold_groups):
        names = [str(g) for g in fold]
        unknown = [g for g in names if g not in known]
        if unknown or not names:
            what = f"unknown group(s) {', '.join(unknown)}" if unknown else "empty fold"
            raise DataError(
                f"split.fold_groups[{i}]: {what}; groups in the data: "
                f"{', '.join(sorted(known)[:12])}"
            )
        for g in names:
            if g in seen:
                raise DataError(f"split.fold_groups[{i}]: group {g} is also in fold {seen[g]}")
            seen[g] = i
        folds.append(np.array(sorted(names)))
    return folds


def _part_sizes(n_groups: int, test_fraction: float, val_fraction: float) -> tuple[int, int]:
    if not 0 < test_fraction < 1 or not 0 <= val_fraction < 1:
        raise DataError("split: test_fraction must be in (0, 1) and val_fraction in [0, 1)")
    n_test = max(1, int(round(test_fraction * n_groups)))
    n_val = max(1, int(round(val_fraction * n_groups))) if val_fraction > 0 else 0
    if n_groups - n_test - n_val < 1:
        raise DataError(
            f"split: {n_groups} group(s) cannot give train, "
            f"{'val and ' if n_val else ''}test parts; add recordings from more "
            "subjects/sessions or lower the fractions"
        )
    return n_test, n_val


def _assign(order: np.ndarray, n_test: int, n_val: int) -> np.ndarray:
    """Parts per group index: the first n_test of `order` test, the next n_val val."""
    parts = np.full(len(order), "train", dtype="<U5")
    parts[order[:n_test]] = "test"
    parts[order[n_test:n_test + n_val]] = "val"
    return parts


def _stratified(group_label, test_fraction, val_fraction, rng) -> np.ndarray | None:
    """Per class: round(fraction * its groups) to test and val, at least one left in train."""
    parts = np.full(len(group_label), "train", dtype="<U5")
    for c in np.unique(group_label):
        members = rng.permutation(np.flatnonzero(group_label == c))
        n_test = int(round(test_fraction * len(members)))
        n_val = int(round(val_fraction * len(members))) if val_fraction > 0 else 0
        if len(members) - n_test - n_val < 1:
            n_test, n_val = min(n_test, len(members) - 1), 0
        parts[members[:n_test]] = "test"
        parts[members[n_test:n_test + n_val]] = "val"
    if not (parts == "test").any() or (val_fraction > 0 and not (parts == "val").any()):
        return None  # too few groups per class: fall back to the global draw
    return parts
