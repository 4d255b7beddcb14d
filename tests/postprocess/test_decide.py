"""PostProcessor: averaging, argmax, threshold, suppression, ignored labels."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.postprocess import PostProcessor, PostprocessParams, ScoreQuant

LABELS = ["a", "b", "_silence_"]
SOFTMAX = ScoreQuant(1 / 256, -128)  # the usual int8 softmax output


def _q(probabilities: list[float]) -> np.ndarray:
    return np.clip(np.round(np.array(probabilities) * 256) - 128, -128, 127).astype(np.int8)


def test_argmax_reports_every_window_with_its_dequantized_score() -> None:
    post = PostProcessor(PostprocessParams(), LABELS, SOFTMAX, 1000.0)
    first = post.step(_q([0.25, 0.75, 0.0]), 10)
    second = post.step(_q([0.5, 0.0, 0.5]), 20)
    assert (first.label, first.score, first.detected, first.window) == (1, 0.75, True, 0)
    assert (second.label, second.score, second.window) == (0, 0.5, 1)  # first of equal maxima


def test_average_over_the_last_k_windows() -> None:
    post = PostProcessor(PostprocessParams(average_windows=2), LABELS, SOFTMAX, 1000.0)
    scores = [post.step(_q(p), i).score for i, p in enumerate(
        [[1.0 - 1 / 256, 0, 0], [0.5, 0.5, 0], [0, 0.75, 0.25]])]
    assert scores[0] == pytest.approx(255 / 256)  # one window so far: its own score
    assert scores[1] == pytest.approx((255 / 256 + 0.5) / 2)
    decision = post.step(_q([0, 0.5, 0.5]), 4)
    assert decision.label == 1 and decision.score == pytest.approx((0.75 + 0.5) / 2)


def test_detector_threshold_suppression_and_ignored_labels() -> None:
    params = PostprocessParams("detector", 1, 0.6, 100.0, ("_silence_",))
    post = PostProcessor(params, LABELS, SOFTMAX, 1000.0)  # 100 ms = 100 samples
    stream = [([0.9, 0.1, 0], 100), ([0.9, 0.1, 0], 150), ([0.1, 0.9, 0], 199),
              ([0.1, 0.9, 0], 200), ([0, 0.1, 0.9], 400), ([0.5, 0.5, 0], 500),
              ([0.7, 0.3, 0], 600)]
    detected = [(d.end_sample, LABELS[d.label]) for p, end in stream
                if (d := post.step(_q(p), end)).detected]
    assert detected == [(100, "a"), (200, "b"), (600, "a")]
    post.reset()
    assert post.step(_q([0.9, 0.1, 0]), 1).detected  # reset forgets the last detection


def test_score_count_must_match_labels_and_params_are_checked() -> None:
    post = PostProcessor(PostprocessParams(), LABELS, SOFTMAX, 1000.0)
    with pytest.raises(ConfigError, match="2 scores for 3 labels"):
        post.step(np.zeros(2, np.int8), 0)
    with pytest.raises(ConfigError, match="average_windows"):
        PostprocessParams(average_windows=0)
    with pytest.raises(ConfigError, match="threshold"):
        PostprocessParams(threshold=1.5)


def test_params_from_the_config_section() -> None:
    from microforge.config import PostprocessSection

    section = PostprocessSection(mode="detector", average_windows=3, threshold=0.7,
                                 suppression_ms=500, ignore_labels=["x"])
    params = PostprocessParams.from_config(section)
    assert params == PostprocessParams("detector", 3, 0.7, 500.0, ("x",))
    assert params.suppression_samples(16000) == 8000
