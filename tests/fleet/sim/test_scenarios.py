"""The drift scenarios on the real UCI HAR windows (no model needed): what each draws, the
size of each drift over the run, and how `mixed` splits a fleet."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.fleet.sim import scenarios as sc
from tests.monitor.har import HELD_OUT, VAL, load_windows


@pytest.fixture(scope="module")
def har(shared_data: Path) -> SimpleNamespace:
    x, y, subject = load_windows(shared_data)
    return SimpleNamespace(x=x, y=y, validation=np.flatnonzero(np.isin(subject, VAL)),
                           held_out=np.flatnonzero(np.isin(subject, HELD_OUT)))


def rows_of(har: SimpleNamespace, windows: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """The index in har.x of each window (they are drawn unchanged from pool)."""
    flat = har.x[pool].reshape(len(pool), -1)
    return np.array([pool[np.flatnonzero((flat == w.reshape(-1)).all(axis=1))[0]]
                     for w in windows])


def test_none_and_held_out_draw_real_windows_of_their_subjects(har) -> None:
    rng = np.random.default_rng(0)
    none = sc.none(har, rng, 32, 0.5)
    assert none.shape == (32, 128, 9)
    assert set(rows_of(har, none, har.validation)) <= set(har.validation)
    held = sc.held_out_subjects(har, rng, 32, 0.5)
    assert set(rows_of(har, held, har.held_out)) <= set(har.held_out)
    empty = SimpleNamespace(**{**vars(har), "held_out": np.array([], np.int64)})
    with pytest.raises(ConfigError, match="test_groups"):
        sc.held_out_subjects(empty, rng, 32, 0.5)


def test_sensor_drifts_grow_to_their_full_size(har) -> None:
    assert sc.strength(0.0) == 0.0 and sc.strength(sc.RAMP / 2) == pytest.approx(0.5)
    assert sc.strength(sc.RAMP) == 1.0 and sc.strength(1.0) == 1.0
    for progress, size in ((0.0, 0.0), (sc.RAMP / 2, 0.5), (0.9, 1.0)):
        base = sc.none(har, np.random.default_rng(1), 32, progress)
        gain = sc.gain_drift(har, np.random.default_rng(1), 32, progress)
        offset = sc.offset_drift(har, np.random.default_rng(1), 32, progress)
        np.testing.assert_allclose(gain, base * (1 + (sc.GAIN - 1) * size), rtol=1e-6)
        np.testing.assert_allclose(offset, base + sc.OFFSET * size, atol=1e-6)
    base = sc.none(har, np.random.default_rng(2), 64, 1.0)
    noisy = sc.noise(har, np.random.default_rng(2), 64, 1.0)
    assert float(np.std(noisy - base)) == pytest.approx(sc.NOISE_SD, rel=0.02)
    assert (sc.noise(har, np.random.default_rng(2), 8, 0.0) ==
            sc.none(har, np.random.default_rng(2), 8, 0.0)).all()


def test_class_mix_shifts_to_the_first_class(har) -> None:
    windows = sc.class_mix(har, np.random.default_rng(3), 2000, 0.5)
    labels = har.y[rows_of(har, windows[:400], har.validation)]
    share = float(np.mean(labels == 0))
    assert abs(share - sc.MIX_SHARE) < 0.07, share
    assert float(np.mean(har.y[har.validation] == 0)) < 0.25  # the reference's share


def test_fleet_scenarios() -> None:
    assert sc.fleet_scenarios("noise", 3) == ["noise"] * 3
    mixed = sc.fleet_scenarios("mixed", 10)
    assert mixed[:5] == ["none"] * 5 and sorted(mixed[5:]) == sorted(sc.DRIFTS)
    assert sc.fleet_scenarios("mixed", 3, drift_share=0.34).count("none") == 1
    assert sc.fleet_scenarios("mixed", 4, drift_share=0.0) == ["none"] * 4
    with pytest.raises(ConfigError, match="unknown; one of none, held_out_subjects"):
        sc.fleet_scenarios("drifty", 2)
