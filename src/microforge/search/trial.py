"""One trial, in whatever process runs it: the candidate config, its cost on the board, and,
only when it fits, its training through the project pipeline and its validation accuracy.

`run_trial(job)` takes and returns plain data (picklable, JSON-ready), so a local process pool
and Ray tasks run the same function. The dataset is read once per process.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from microforge.config import ProjectConfig
from microforge.data.recording import Dataset
from microforge.errors import ConfigError, MicroforgeError
from microforge.search.budget import Budget
from microforge.search.candidate import Candidate, make_candidate, read_document
from microforge.search.cost import INT16X8, Geometry, candidate_cost, with_16x8_network
from microforge.search.pruning import PruningSpec, TrialPruned, pruning_callback
from microforge.workspace.data import ProjectData

# trial states in trials.json (Optuna's: COMPLETE, PRUNED (infeasible/invalid/pruned), FAIL)
TRAINED, INFEASIBLE, INVALID, FAILED = "trained", "infeasible", "invalid", "failed"
PRUNED = "pruned"  # its training stopped by the pruner (validation loss)


@dataclass
class TrialJob:
    number: int
    config_path: str
    params: dict[str, Any]
    board: str
    latency_ms: float | None
    cost_method: str  # emulator | model
    max_epochs: int | None
    val_fraction: float
    pruning: PruningSpec | None = None  # None: trained to the end


_DATASETS: dict[str, Dataset] = {}


class CandidateProject(ProjectData):
    """A candidate's ProjectData reading the dataset once per process (the windows, which
    depend on the candidate's [windowing], are made for each)."""

    def load(self):
        if self._data is None:
            from microforge.data.load import load_dataset
            from microforge.data.windowing import make_windows
            from microforge.workspace.specs import dataset_spec, window_spec

            spec = dataset_spec(self.config)
            key = repr(spec)
            if key not in _DATASETS:
                _DATASETS[key] = load_dataset(spec)
            dataset = _DATASETS[key]
            self._data = (dataset, make_windows(dataset, window_spec(self.config)))
        return self._data


def geometry_of(config: ProjectConfig) -> Geometry:
    dataset, windows = CandidateProject(config, _quiet()).load()
    return Geometry(float(dataset.sample_rate), int(windows.x.shape[2]), len(dataset.classes))


def run_trial(job: TrialJob) -> dict[str, Any]:
    """The outcome of one trial as a dict (see `outcome` for the keys)."""
    started = time.perf_counter()
    result = outcome(job)
    path = Path(job.config_path)
    try:
        candidate = make_candidate(path, read_document(path), job.params, job.max_epochs,
                                   job.val_fraction)
    except MicroforgeError as exc:
        return _done(result, INVALID, str(exc), started)
    try:
        _evaluate(job, candidate, result)
    except TrialPruned as exc:
        return _done(result, PRUNED, str(exc), started)
    except MicroforgeError as exc:
        return _done(result, INVALID, str(exc), started)
    except Exception as exc:  # noqa: BLE001 - a failed trial is recorded, the search goes on
        last = traceback.format_exception_only(exc)[-1].strip()
        return _done(result, FAILED, last[:500], started)
    finally:
        _clear_keras()
    return _done(result, result["state"], result["reason"], started)


def outcome(job: TrialJob) -> dict[str, Any]:
    return {"number": job.number, "params": dict(job.params), "state": None, "reason": "",
            "feasible": None, "variant": None, "cost": None, "constraints": {},
            "accuracy": None, "test_accuracy": None, "epochs": None, "seconds": 0.0}


def _evaluate(job: TrialJob, candidate: Candidate, result: dict[str, Any]) -> None:
    from microforge.targets.boards import load_board

    config = candidate.config
    budget = Budget(load_board(job.board), job.latency_ms)
    result["variant"] = candidate.variant
    if job.cost_method == "emulator":
        cost = _pipeline_cost(config, budget)
        if candidate.variant == INT16X8:
            cost = with_16x8_network(config, cost, geometry_of(config).n_classes,
                                     budget.board)
    elif candidate.variant == INT16X8:
        raise ConfigError("quantization.variant = ptq_16x8: the per-op cost model is fitted "
                          "on int8 kernels; set [search] cost = \"emulator\"")
    else:
        cost = candidate_cost(config, geometry_of(config), budget.board, job.cost_method)
    result["cost"] = cost.to_dict()
    result["constraints"] = budget.constraints(cost)
    reasons = budget.reasons(cost)
    result["feasible"] = not reasons
    if reasons:  # never trained
        result["state"], result["reason"] = INFEASIBLE, "; ".join(reasons)
        return
    accuracy, test_accuracy = train_and_score(candidate, job.pruning)
    result.update(state=TRAINED, accuracy=accuracy, test_accuracy=test_accuracy,
                  epochs=config.training.epochs)


def _pipeline_cost(config: ProjectConfig, budget: Budget):
    """The candidate's whole pipeline on the board: its DSP block fitted on the training
    windows of the final fold (as training will fit it), the first of them streamed."""
    from microforge.data.windowing import window_samples
    from microforge.pipeline.features import make_dsp_block
    from microforge.search.cost import pipeline_cost
    from microforge.workspace.specs import window_spec

    project = CandidateProject(config, _quiet())
    dataset, windows = project.load()
    train = windows.x[project.final_fold().mask("train")]
    block = make_dsp_block(config).fit(train, dataset.sample_rate)
    _, stride = window_samples(window_spec(config), dataset.sample_rate)
    return pipeline_cost(config, block, np.asarray(train[0], np.float32), list(dataset.classes),
                         stride, budget.board)


def train_and_score(candidate: Candidate,
                    pruning: PruningSpec | None = None) -> tuple[float, float | None]:
    """Train the candidate as the pipeline does (optimize.baseline.prepare_fold on the final
    fold), make its int8 model (PTQ as the pipeline's quantize stage does it, or QAT then
    PTQ as `microforge optimize` does), and score it in TFLM: (validation accuracy, test
    accuracy or None). With `pruning`, each epoch's validation loss goes to the study's
    pruner, and TrialPruned is raised when it stopped the training."""
    from microforge.errors import DataError
    from microforge.optimize.baseline import prepare_fold
    from microforge.optimize.techniques import build_variant, predict
    from microforge.train.quantize import quantize_int8

    project = CandidateProject(candidate.config, _quiet())
    fold = project.final_fold()
    pruner = pruning_callback(pruning) if pruning is not None else None
    data = prepare_fold(project, fold, callbacks=[pruner] if pruner is not None else None)
    if pruner is not None and pruner.reason is not None:
        raise TrialPruned(pruner.reason)
    if not data.features.has("val"):
        raise DataError(f"{candidate.config.dataset_path()}: the split has no validation "
                        "windows to rank trials by; set [split] val_fraction or val_groups")
    config = candidate.config
    if candidate.variant == "ptq_int8":  # what `microforge run` of the applied trial makes
        tflite = quantize_int8(data.baseline, data.x_train,
                               n_samples=config.quantization.representative_samples,
                               seed=config.split.seed)
    else:
        tflite = build_variant(candidate.variant, project, data).tflite
    x_val, y_val = data.features.x["val"], data.features.y["val"]
    accuracy = _accuracy(predict(tflite, x_val), y_val)
    test = (_accuracy(predict(tflite, data.x_test), data.y_test)
            if data.features.has("test") else None)
    return accuracy, test


def _accuracy(scores: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.argmax(scores, axis=-1) == np.asarray(y)))


def _done(result: dict[str, Any], state: str, reason: str, started: float) -> dict[str, Any]:
    result["state"], result["reason"] = state, reason
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _quiet() -> Console:
    return Console(stderr=True, quiet=True)


def _clear_keras() -> None:
    import sys

    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()


def job_dict(job: TrialJob) -> dict[str, Any]:
    return asdict(job)
