"""Drift scenarios, each built from the project's real recordings: what a simulated device's
sensor sees during one report period. A scenario draws `n` windows at random and may change
them; `progress` (0 at the start of the run, 1 at the end) lets a drift grow: the sensor
drifts (gain, offset, noise) reach their full size a quarter of the way into the run
(RAMP), so the dashboard shows a fleet that starts healthy and drifts.

    windows = SCENARIOS["gain_drift"](model, rng, 32, progress=0.5)

Sizes: those of the drift tests on UCI HAR (tests/monitor/test_drift.py, where each alerts
within one 32-window period at full size), applied to every channel.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from microforge.errors import ConfigError
from microforge.fleet.sim.model import SimModel

Scenario = Callable[[SimModel, np.random.Generator, int, float], np.ndarray]
RAMP = 0.25  # fraction of the run after which a sensor drift has its full size
GAIN = 1.3  # sensor gain at full drift
OFFSET = 0.2  # sensor offset at full drift (in the channel's unit: g for HAR's accelerometer)
NOISE_SD = 0.15  # added Gaussian noise at full drift (channel units)
MIX_SHARE = 0.7  # share of the first class's windows in `class_mix`


def strength(progress: float) -> float:
    """How much of a sensor drift has set in: 0 at the start, 1 from RAMP on."""
    return float(min(1.0, max(0.0, progress) / RAMP))


def none(model: SimModel, rng: np.random.Generator, n: int, progress: float) -> np.ndarray:
    """No shift: windows of the validation subjects (the population of the reference)."""
    return model.x[rng.choice(model.validation, n)]


def held_out_subjects(model: SimModel, rng: np.random.Generator, n: int,
                      progress: float) -> np.ndarray:
    """Other people: windows of the subjects held out of training and validation."""
    if len(model.held_out) == 0:
        raise ConfigError("scenario held_out_subjects: the project holds no groups out (its "
                          "final split has no test groups); set [split] test_groups")
    return model.x[rng.choice(model.held_out, n)]


def gain_drift(model: SimModel, rng: np.random.Generator, n: int,
               progress: float) -> np.ndarray:
    """The sensor's gain drifts up to GAIN (x1.3) on every channel."""
    return none(model, rng, n, progress) * np.float32(1 + (GAIN - 1) * strength(progress))


def offset_drift(model: SimModel, rng: np.random.Generator, n: int,
                 progress: float) -> np.ndarray:
    """The sensor's zero drifts up to +OFFSET on every channel."""
    return none(model, rng, n, progress) + np.float32(OFFSET * strength(progress))


def noise(model: SimModel, rng: np.random.Generator, n: int, progress: float) -> np.ndarray:
    """A noisier sensor (or room): Gaussian noise up to NOISE_SD on every channel."""
    x = none(model, rng, n, progress)
    sd = NOISE_SD * strength(progress)
    return (x + rng.normal(0.0, sd, x.shape)).astype(np.float32) if sd > 0 else x


def class_mix(model: SimModel, rng: np.random.Generator, n: int,
              progress: float) -> np.ndarray:
    """The user does other things: MIX_SHARE (70 %) of the windows of the first class (HAR:
    walking), the rest from the others, all from the validation subjects."""
    first = model.y[model.validation] == 0
    if not first.any() or first.all():
        raise ConfigError("scenario class_mix: the validation windows need the first class "
                          "and at least one other")
    p = np.where(first, MIX_SHARE / first.sum(), (1 - MIX_SHARE) / (~first).sum())
    return model.x[rng.choice(model.validation, n, p=p)]


SCENARIOS: dict[str, Scenario] = {f.__name__: f for f in (
    none, held_out_subjects, gain_drift, offset_drift, noise, class_mix)}
DRIFTS = tuple(name for name in SCENARIOS if name != "none")
MIXED = "mixed"
MIXED_DRIFT_SHARE = 0.5  # of the devices in `mixed`


def fleet_scenarios(scenario: str, devices: int, drift_share: float = MIXED_DRIFT_SHARE
                    ) -> list[str]:
    """The scenario of each device: all the same, or for `mixed` the first devices none and
    a share `drift_share` of them (rounded up) cycling through the drifts."""
    if scenario == MIXED:
        drifting = int(np.ceil(devices * drift_share))
        return ["none"] * (devices - drifting) + [DRIFTS[i % len(DRIFTS)]
                                                  for i in range(drifting)]
    if scenario not in SCENARIOS:
        raise ConfigError(f"--scenario {scenario!r}: unknown; one of "
                          f"{', '.join([*SCENARIOS, MIXED])}")
    return [scenario] * devices
