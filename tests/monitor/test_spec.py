"""MonitorSpec and the reference: integer edges as defined, size bounds, one-line errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from microforge.config import MonitorSection
from microforge.errors import ConfigError
from microforge.monitor.reference import MonitorReference
from microforge.monitor.spec import (
    FORM_TINY,
    TINY_LIMIT,
    confidence_edges,
    margin_edges,
    quantile_edges,
)
from microforge.postprocess.params import ScoreQuant
from tests.monitor.kws import kws_reference, kws_windows


def test_confidence_and_margin_edges_are_the_smallest_integers_past_each_probability() -> None:
    quant = ScoreQuant(1 / 256, -128)
    edges = confidence_edges([0.5, 0.7, 0.99], quant)
    for p, q in zip([0.5, 0.7, 0.99], edges, strict=True):
        assert (q - quant.zero_point) * quant.scale >= p > (q - 1 - quant.zero_point) * quant.scale
    for p, m in zip([0.1, 0.5], margin_edges([0.1, 0.5], quant), strict=True):
        assert m * quant.scale >= p > (m - 1) * quant.scale


def test_quantile_edges_split_the_training_sums(shared_data: Path) -> None:
    inputs, _, _, _ = kws_windows(shared_data)
    sums = inputs.astype(np.int64).reshape(5, -1, 10).sum(axis=1)[:, 3]
    edges = quantile_edges(sums, 4)
    assert list(edges) == sorted(edges)
    assert np.all(np.asarray(edges) >= np.quantile(sums, [0.25, 0.5, 0.75]))


def test_reference_round_trips_and_calibration_is_in_range(shared_data: Path,
                                                           tmp_path: Path) -> None:
    ref = kws_reference(shared_data)
    assert ref.spec.n_groups == 10 and ref.spec.n_inputs == 490
    assert all(0 <= a <= 1 for a in ref.calibration)
    assert sum(ref.class_freq) == pytest.approx(1.0)
    ref.save(tmp_path / "ref.json")
    assert MonitorReference.load(tmp_path / "ref.json") == ref
    (tmp_path / "bad.json").write_text('{"spec": {}}')
    with pytest.raises(ConfigError, match="monitor .*: bad or missing field"):
        MonitorReference.load(tmp_path / "bad.json")


def test_tiny_record_that_could_exceed_64_bytes_is_refused(shared_data: Path) -> None:
    ref = kws_reference(shared_data)
    assert ref.spec.max_record_bytes(FORM_TINY) <= TINY_LIMIT
    wide = dataclasses.replace(ref.spec, conf_edges=tuple(range(-100, 120, 10)))
    with pytest.raises(ConfigError, match="tiny record can reach .* monitor.confidence_edges"):
        wide.check_tiny()
    with pytest.raises(ConfigError, match="monitor.confidence_edges must be ascending"):
        kws_reference(shared_data, MonitorSection(enabled=True, feature_bins=4,
                                                  confidence_edges=[0.9, 0.5]))
