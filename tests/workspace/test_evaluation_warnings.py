"""Explicit test/val groups in [split], the single split naming its test groups, and the
warnings that an evaluation cannot be trusted (one test each)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.config import SplitSection, parse_config
from microforge.errors import ConfigError
from microforge.workspace.folds import evaluation_warnings, make_folds
from tests.workspace.test_folds import dataset

CLASSES = ["a", "b", "c"]


def test_explicit_test_and_val_groups():
    groups, y = dataset(n_groups=9)
    (fold,) = make_folds(groups, y, SplitSection(test_groups=["s3", "s7"], val_groups=["s1"]))
    assert set(groups[fold.mask("test")]) == {"s3", "s7"}
    assert set(groups[fold.mask("val")]) == {"s1"}
    assert set(groups[fold.mask("train")]) == {f"s{i}" for i in (0, 2, 4, 5, 6, 8)}
    assert fold.test_groups == ("s3", "s7")
    assert "test groups s3, s7" in fold.describe(groups)


def test_a_fraction_split_names_its_test_groups():
    groups, y = dataset()
    (fold,) = make_folds(groups, y, SplitSection(test_fraction=0.25, val_fraction=0.2))
    assert fold.test_groups and set(fold.test_groups) == set(groups[fold.mask("test")])


def test_val_groups_are_every_folds_validation():
    groups, y = dataset(n_groups=9)
    split = SplitSection(fold_groups=[["s0", "s1"], ["s2", "s3"]], val_groups=["s8"])
    folds = make_folds(groups, y, split)
    for fold in folds:
        assert set(groups[fold.mask("val")]) == {"s8"}


def test_unknown_group_names_the_field():
    groups, y = dataset()
    with pytest.raises(ConfigError, match=r"split.test_groups: unknown group\(s\) nobody"):
        make_folds(groups, y, SplitSection(test_groups=["nobody"]))
    with pytest.raises(ConfigError, match=r"split.val_groups: unknown group\(s\) x"):
        make_folds(groups, y, SplitSection(val_groups=["x"]))


@pytest.mark.parametrize(("split", "message"), [
    ({"test_groups": ["s1"], "folds": 3}, "test_groups is for a single split"),
    ({"test_groups": ["s1"], "val_groups": ["s1"]}, "both test_groups and val_groups: s1"),
])
def test_contradictory_split_config_is_one_line(tmp_path: Path, split, message):
    data = {"project": {"name": "p"}, "dataset": {"path": "d"}, "split": split}
    with pytest.raises(ConfigError, match=message) as info:
        parse_config(data, "microforge.toml", tmp_path)
    assert "\n" not in str(info.value) and "microforge.toml" in str(info.value)


def test_warning_when_a_fold_trains_on_one_group():
    groups, y = dataset(n_groups=3)
    folds = make_folds(groups, y, SplitSection(fold_groups=[["s0"]], val_fraction=0.5))
    lines = evaluation_warnings(folds, groups, y, CLASSES, 0)
    assert any(line.startswith("fold1: trains on 1 group (") for line in lines)


def test_warning_when_a_class_has_few_training_windows():
    groups, y = dataset(n_groups=6, per_group=5)  # each class: 2 groups x 5 windows
    folds = make_folds(groups, y, SplitSection(test_groups=["s0"], val_fraction=0.0))
    assert evaluation_warnings(folds, groups, y, CLASSES, 5) == []
    lines = evaluation_warnings(folds, groups, y, CLASSES, 6)
    assert lines == ["split: class 'a' has 5 training window(s) (fewer than "
                     "split.min_class_windows = 6)"]


def test_warning_when_a_class_is_in_only_one_group():
    groups, y = dataset(n_groups=6)  # s0, s3: a; s1, s4: b; s2, s5: c
    y = np.where(groups == "s0", 1, y)  # a: only s3
    folds = make_folds(groups, y, SplitSection(test_groups=["s1"], val_fraction=0.0))
    lines = evaluation_warnings(folds, groups, y, CLASSES, 0)
    assert lines == ["class 'a' is present in only one group (s3): it is never tested on a "
                     "group it was not trained on; record it in more groups"]


@pytest.mark.slow
def test_a_run_prints_and_reports_warnings_and_per_fold_classes(tmp_path: Path, monkeypatch,
                                                               tf, tflm) -> None:
    """A tiny project (1 epoch) whose min_class_windows no class reaches."""
    import json

    from rich.console import Console

    from microforge.pipeline.profile_stage import DISABLE_ENV
    from microforge.project import Project
    from tests.measure.project_fixture import write_project

    monkeypatch.setenv(DISABLE_ENV, "0")
    toml = write_project(tmp_path)
    toml.write_text(toml.read_text().replace("[split]", "[split]\nmin_class_windows = 1000"))
    console = Console(record=True, width=200)
    summary = Project.from_toml(toml, console).run()
    printed = console.export_text()
    report = json.loads((summary.out_dir / "report.json").read_text())
    warnings = report["warnings"]
    assert len(warnings) == 4 and all("fewer than split.min_class_windows = 1000" in w
                                      for w in warnings)
    for line in warnings:
        assert line in " ".join(printed.split())
    (fold,) = report["per_fold_classes"]
    assert fold["name"] == "split" and fold["test_groups"] and len(fold["per_class"]) == 4
    assert f"test groups {', '.join(fold['test_groups'])}" in printed
    assert "precision  recall" in printed and "confusion (rows true" in printed
    html = (summary.out_dir / "report.html").read_text()
    assert "Warnings about this evaluation" in html and "Per fold, per class" in html
    assert sum(c["support"] for c in fold["per_class"]) == sum(map(sum, fold["confusion"])) > 0
