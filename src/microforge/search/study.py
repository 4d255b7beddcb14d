"""The Optuna study: stored on disk (SQLite), seeded, resumable, asked and told in batches.

Each batch asks W trials (W = workers), samples their values here (so the sampled values do
not depend on where the trials run), runs them on the executor and tells the results: a
trained trial is COMPLETE with its objective values; a candidate over the board's budget is
PRUNED with its constraint values (Optuna's `Trial.set_constraint`, which replaced
`constraints_func` in Optuna 5: the TPE sampler ranks infeasible trials below feasible ones),
never trained; an invalid candidate is PRUNED, a failure FAIL, each with its reason. A
trial whose training the pruner stopped (search/pruning.py: each epoch's validation loss,
reported from the trial's process through the shared SQLite study) is PRUNED too; one over
its time limit is FAIL.

A second `microforge search` on the same folder loads the study and runs N more trials; the
sampler is seeded with seed + trials already in the study, so it does not repeat them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from microforge.errors import ConfigError, ToolchainError
from microforge.search.executors import make_executor
from microforge.search.pruning import PruningSpec, make_pruner, storage
from microforge.search.results import write_trials
from microforge.search.settings import SearchSettings
from microforge.search.space import Dimension
from microforge.search.trial import FAILED, TRAINED, TrialJob

STUDY_NAME = "search"
DIRECTIONS = {"accuracy": "maximize", "instructions": "minimize", "ram": "minimize",
              "flash": "minimize"}
COST_KEYS = {"instructions": "instructions", "ram": "ram_bytes", "flash": "flash_bytes"}
# what a study remembers of its settings; resuming with other values is an error
FIXED = ("board", "objectives", "latency_ms", "cost_method", "space")

Report = Callable[[dict[str, Any], list[dict[str, Any]]], None]


@dataclass
class SearchRun:
    settings: SearchSettings
    trials: list[dict[str, Any]]  # every trial of the study (trials.json's "trials")
    new: int  # trials run by this call
    executor: str


def import_optuna():
    try:
        import optuna
    except ImportError:
        raise ToolchainError("microforge search needs Optuna: pip install "
                             "'microforge[search]'") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    return optuna


def fixed_attrs(settings: SearchSettings) -> dict[str, Any]:
    return {"board": settings.board.id, "objectives": settings.objectives,
            "latency_ms": settings.latency_ms, "cost_method": settings.cost_method,
            "space": [d.describe() for d in settings.space]}


def open_study(settings: SearchSettings):
    """(study, trials already in it); a study made with other fixed settings is an error."""
    optuna = import_optuna()
    settings.folder.mkdir(parents=True, exist_ok=True)
    db = storage(optuna, str(settings.study_db))
    names = [s.study_name for s in optuna.get_all_study_summaries(db)]
    existing = 0
    if STUDY_NAME in names:
        old = optuna.load_study(study_name=STUDY_NAME, storage=db)
        existing = len(old.trials)
        attrs = old.user_attrs
        for key, value in fixed_attrs(settings).items():
            if key in attrs and attrs[key] != value:
                raise ConfigError(f"{settings.study_db}: this study was run with {key} = "
                                  f"{attrs[key]!r}, not {value!r}; use --out for a new "
                                  "search or remove the folder")
    sampler = make_sampler(optuna, settings, settings.seed + existing)
    pruner = make_pruner(optuna, settings.pruner, settings.pruner_startup_trials,
                         settings.pruner_warmup_epochs)
    study = optuna.create_study(study_name=STUDY_NAME, storage=db, sampler=sampler,
                                pruner=pruner, load_if_exists=True,
                                directions=[DIRECTIONS[o] for o in settings.objectives])
    for key, value in fixed_attrs(settings).items():
        study.set_user_attr(key, value)
    study.set_user_attr("max_epochs", settings.max_epochs)
    study.set_user_attr("val_fraction", settings.val_fraction)
    _fail_interrupted(optuna, study)
    return study, existing


def make_sampler(optuna, settings: SearchSettings, seed: int):
    """TPE for accuracy alone, NSGA-II for accuracy against a cost."""
    if len(settings.objectives) == 1:
        return optuna.samplers.TPESampler(seed=seed)
    return optuna.samplers.NSGAIISampler(seed=seed)


def _fail_interrupted(optuna, study) -> None:
    """Trials left RUNNING by an interrupted search are told FAIL (and run again as new)."""
    for trial in study.get_trials(deepcopy=False,
                                  states=(optuna.trial.TrialState.RUNNING,)):
        study._storage.set_trial_user_attr(trial._trial_id, "outcome", {
            "number": trial.number, "params": dict(trial.params), "state": FAILED,
            "reason": "interrupted (the search stopped before this trial ended)"})
        study.tell(trial.number, state=optuna.trial.TrialState.FAIL)


def sample(trial, space: list[Dimension]) -> dict[str, Any]:
    """The trial's values, dimension by dimension (conditional ones when their condition
    holds on the values sampled before them)."""
    params: dict[str, Any] = {}
    for d in space:
        if not d.applies(params):
            continue
        if d.kind == "categorical":
            params[d.name] = trial.suggest_categorical(d.name, list(d.choices))
        elif d.kind == "int":
            params[d.name] = trial.suggest_int(d.name, int(d.low or 0), int(d.high or 0),
                                               step=int(d.step or 1), log=d.log)
        else:
            params[d.name] = trial.suggest_float(d.name, float(d.low or 0), float(d.high or 0),
                                                 step=d.step, log=d.log)
    return params


def run_search(settings: SearchSettings, report: Report | None = None) -> SearchRun:
    """`settings.trials` more trials, `settings.workers` at a time; `report(outcome, all)` is
    called after each trial (progress display)."""
    optuna = import_optuna()
    study, _ = open_study(settings)
    executor = make_executor(settings.workers, settings.ray, settings.trial_timeout)
    done = 0
    try:
        while done < settings.trials:
            batch = [study.ask() for _ in range(min(settings.workers, settings.trials - done))]
            jobs = [TrialJob(t.number, str(settings.config_path), sample(t, settings.space),
                             settings.board.id, settings.latency_ms, settings.cost_method,
                             settings.max_epochs, settings.val_fraction,
                             _pruning(settings, t)) for t in batch]
            for trial, result in zip(batch, executor.run(jobs), strict=True):
                _tell(optuna, study, trial, result, settings.objectives)
                done += 1
                trials = study_trials(study)
                write_trials(settings, trials)
                if report is not None:
                    report(result, trials)
    finally:
        executor.close()
    trials = study_trials(study)
    write_trials(settings, trials)
    return SearchRun(settings, trials, done, executor.description)


def _pruning(settings: SearchSettings, trial) -> PruningSpec | None:
    if settings.pruner == "none":
        return None
    return PruningSpec(str(settings.study_db), STUDY_NAME, trial._trial_id,
                       settings.pruner_startup_trials, settings.pruner_warmup_epochs)


def _tell(optuna, study, trial, result: dict[str, Any], objectives: list[str]) -> None:
    state = optuna.trial.TrialState
    for key, value in result.get("constraints", {}).items():
        trial.set_constraint(key, value)
    trial.set_user_attr("outcome", result)
    if result["state"] == TRAINED:
        cost = result["cost"]
        values = [result["accuracy"]] + [float(cost[COST_KEYS[o]]) for o in objectives[1:]]
        study.tell(trial, values)
    elif result["state"] == FAILED:
        study.tell(trial, state=state.FAIL)
    else:
        study.tell(trial, state=state.PRUNED)


def study_trials(study) -> list[dict[str, Any]]:
    """Every trial's outcome, with Optuna's state, in trial order."""
    out = []
    for t in study.get_trials(deepcopy=False):
        outcome = dict(t.user_attrs.get("outcome") or {"number": t.number,
                                                         "params": dict(t.params),
                                                         "state": "running", "reason": ""})
        outcome["optuna_state"] = t.state.name
        out.append(outcome)
    return out
