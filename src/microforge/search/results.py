"""What a search found: trials.json, the Pareto front, the chosen candidate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from microforge.atomic import atomic_write_json
from microforge.search.trial import TRAINED

if TYPE_CHECKING:
    from microforge.search.settings import SearchSettings

# the trade-off the report shows: accuracy up, instructions and RAM down
PARETO_AXES = (("accuracy", 1), ("instructions", -1), ("ram_bytes", -1))


def write_trials(settings: SearchSettings, trials: list[dict[str, Any]]) -> None:
    atomic_write_json(settings.trials_json, {
        "project": settings.project, "board": settings.board.id,
        "budget": {"ram_bytes": settings.board.ram_bytes,
                   "flash_bytes": settings.board.flash_bytes,
                   "latency_ms": settings.latency_ms, "clock_mhz": settings.board.clock_mhz},
        "objectives": settings.objectives, "seed": settings.seed,
        "max_epochs": settings.max_epochs, "val_fraction": settings.val_fraction,
        "cost_method": settings.cost_method, "config": str(settings.config_path),
        "space": [d.describe() for d in settings.space],
        "trials": [flat(t) for t in trials],
    })


def flat(trial: dict[str, Any]) -> dict[str, Any]:
    """A trial's record with its cost figures at the top level (ram, flash, instructions)."""
    cost = trial.get("cost") or {}
    return {**trial, "ram_bytes": cost.get("ram_bytes"), "flash_bytes": cost.get("flash_bytes"),
            "instructions": cost.get("instructions"), "latency_ms": cost.get("latency_ms")}


def trained(trials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in trials if t.get("state") == TRAINED and t.get("accuracy") is not None]


def _value(trial: dict[str, Any], key: str) -> float:
    value = trial.get(key)
    if value is None:
        value = (trial.get("cost") or {}).get(key)
    return float("inf") if value is None else float(value)


def pareto_front(trials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trained trials no other trained trial dominates on PARETO_AXES, by accuracy."""
    pool = trained(trials)

    def score(t: dict[str, Any]) -> list[float]:
        return [sign * _value(t, key) for key, sign in PARETO_AXES]

    front = []
    for t in pool:
        mine = score(t)
        dominated = any(all(o >= m for o, m in zip(score(u), mine, strict=True))
                        and score(u) != mine for u in pool if u is not t)
        if not dominated:
            front.append(t)
    return sorted(front, key=lambda t: -float(t["accuracy"]))


def chosen(trials: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The feasible trained trial with the best validation accuracy (fewest instructions on a
    tie); None when no trial was trained."""
    pool = trained(trials)
    if not pool:
        return None
    return min(pool, key=lambda t: (-float(t["accuracy"]), _value(t, "instructions")))


def find_trial(trials: list[dict[str, Any]], number: int) -> dict[str, Any] | None:
    return next((t for t in trials if t.get("number") == number), None)
