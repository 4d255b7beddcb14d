"""Pruning on validation loss: Optuna's pruner told each epoch's validation loss of a trial's
training, from whatever process trains it.

The study is stored in SQLite, so a worker opens it (with the same pruner: a pruner is not
stored), makes the Trial of its trial id and reports through it; the pruner compares with the
COMPLETE trials of the study at the same epoch. Optuna has no pruning in multi-objective
studies, so a search with a second objective does not prune.

The study maximises accuracy while a loss is better low: the value reported is the negated
validation loss, so that Optuna's pruner and TPE (which rank pruned trials by their last
reported value in the study's direction) read it the right way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PRUNERS = ("median", "none")


class TrialPruned(Exception):  # noqa: N818 - named as Optuna's
    """Raised after a training the pruner stopped; its message is the trial's reason."""


@dataclass
class PruningSpec:
    """What a trial's process needs to report to the study (plain data, picklable)."""

    study_db: str
    study_name: str
    trial_id: int
    startup_trials: int
    warmup_epochs: int


def storage(optuna: Any, study_db: str) -> Any:
    """The study's SQLite storage; waits for a lock held by another process (workers
    report their epochs concurrently)."""
    return optuna.storages.RDBStorage(f"sqlite:///{study_db}",
                                      engine_kwargs={"connect_args": {"timeout": 60}})


def make_pruner(optuna: Any, name: str, startup_trials: int, warmup_epochs: int) -> Any:
    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=startup_trials,
                                           n_warmup_steps=warmup_epochs)
    return optuna.pruners.NopPruner()


def reporting_trial(spec: PruningSpec) -> Any:
    """The Optuna Trial of `spec.trial_id`, in this process, with the search's pruner."""
    from microforge.search.study import import_optuna

    optuna = import_optuna()
    study = optuna.load_study(study_name=spec.study_name, storage=storage(optuna, spec.study_db),
                              sampler=optuna.samplers.RandomSampler(),
                              pruner=make_pruner(optuna, "median", spec.startup_trials,
                                                 spec.warmup_epochs))
    return optuna.trial.Trial(study, spec.trial_id)


def pruning_callback(spec: PruningSpec) -> Any:
    """A Keras callback reporting -val_loss after each epoch (step = the 1-based epoch) and
    stopping the training when the pruner says so; `.reason` is then set."""
    import keras

    trial = reporting_trial(spec)

    class ValidationLossPruning(keras.callbacks.Callback):
        reason: str | None = None

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            loss = (logs or {}).get("val_loss")
            if loss is None:
                return
            trial.report(-float(loss), epoch + 1)
            if trial.should_prune():
                self.reason = f"pruned at epoch {epoch + 1} (validation loss {float(loss):.4f})"
                self.model.stop_training = True

    return ValidationLossPruning()
