from __future__ import annotations

import pytest

from microforge.train.detect_metrics import evaluate_detections, match_image


def test_matching_is_one_to_one_within_the_distance():
    truth = [(1, 10.0, 10.0), (1, 30.0, 10.0), (2, 50.0, 50.0)]
    predicted = [(1, 12.0, 10.0), (1, 13.0, 10.0), (2, 70.0, 50.0), (1, 31.0, 11.0)]
    tp, fp, fn, per = match_image(truth, predicted, distance=5.0)
    assert (tp, fp, fn) == (2, 2, 1)
    assert per == {1: [2, 1, 0], 2: [0, 1, 1]}


def test_wrong_class_is_not_a_match_and_totals():
    m = evaluate_detections([[(1, 4.0, 4.0)], [(2, 8.0, 8.0)]], [[(2, 4.0, 4.0)], []],
                            ["background", "a", "b"], distance=8.0)
    assert (m.overall.tp, m.overall.fp, m.overall.fn) == (0, 1, 2)
    assert [c.name for c in m.per_class] == ["a", "b"]
    assert m.per_class[1].fp == 1 and m.overall.f1 == 0.0


def test_perfect_detections():
    truth = [[(1, 4.0, 4.0), (1, 20.0, 4.0)]]
    m = evaluate_detections(truth, truth, ["background", "x"], 1.0)
    assert m.overall.precision == m.overall.recall == m.overall.f1 == pytest.approx(1.0)
    assert m.to_dict()["overall"]["tp"] == 2
