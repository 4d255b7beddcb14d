"""Where trials run: in this process (one worker), in W processes on this machine, or as Ray
tasks. Each takes a batch of TrialJobs and returns their outcomes in the same order, so the
study (search/study.py) asks and tells the same way whatever runs the trials. With a time
limit per trial, every trial runs in a process of its own (search/limited.py), locally or
inside its Ray task."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Protocol

from microforge.errors import ToolchainError
from microforge.search.limited import run_trial_limited
from microforge.search.trial import TrialJob, run_trial

RAY_MISSING = ("--ray needs the Ray package: pip install 'microforge[scale]' (or leave out "
               "--ray to run the trials on this machine)")


class Executor(Protocol):
    description: str

    def run(self, jobs: list[TrialJob]) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


class InProcess:
    description = "1 worker (this process)"

    def run(self, jobs: list[TrialJob]) -> list[dict[str, Any]]:
        return [run_trial(job) for job in jobs]

    def close(self) -> None:
        pass


class LocalProcesses:
    """W processes (spawned: TensorFlow is not fork-safe), reused across batches."""

    def __init__(self, workers: int) -> None:
        self.description = f"{workers} worker processes on this machine"
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))

    def run(self, jobs: list[TrialJob]) -> list[dict[str, Any]]:
        return list(self._pool.map(run_trial, jobs))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class LimitedProcesses:
    """A new process per trial, W at a time, each killed at `seconds` (a failed trial)."""

    def __init__(self, workers: int, seconds: float) -> None:
        self.description = (f"{workers} worker{'s' if workers > 1 else ''} on this machine, "
                            f"a process per trial, time limit {seconds:g} s")
        self._seconds = seconds
        self._threads = ThreadPoolExecutor(workers)

    def run(self, jobs: list[TrialJob]) -> list[dict[str, Any]]:
        return list(self._threads.map(lambda job: run_trial_limited(job, self._seconds), jobs))

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)


class RayTasks:
    """Each trial a Ray task (1 CPU) on the cluster at `address` ("auto", "local" or
    host:port); a cluster already initialised in this process is used as it is. With
    `seconds`, the task runs its trial in a child process killed at that limit."""

    def __init__(self, address: str, seconds: float | None = None) -> None:
        ray = import_ray()
        if not ray.is_initialized():
            try:
                ray.init(address=None if address == "local" else address,
                         log_to_driver=False, include_dashboard=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise ToolchainError(f"--ray {address}: cannot connect to a Ray cluster "
                                     f"({first[:200]}); start one (`ray start --head`) or "
                                     "use --ray local") from None
        self._ray = ray
        self._seconds = seconds
        self._task = ray.remote(num_cpus=1)(run_trial if seconds is None else run_trial_limited)
        cpus = int(ray.cluster_resources().get("CPU", 0))
        self.description = f"Ray tasks ({cpus} CPUs in the cluster)" + (
            "" if seconds is None else f", time limit {seconds:g} s per trial")

    def run(self, jobs: list[TrialJob]) -> list[dict[str, Any]]:
        extra = () if self._seconds is None else (self._seconds,)
        return list(self._ray.get([self._task.remote(job, *extra) for job in jobs]))

    def close(self) -> None:
        pass


def import_ray():
    try:
        import ray
    except ImportError:
        raise ToolchainError(RAY_MISSING) from None
    return ray


def make_executor(workers: int, ray: str | None, seconds: float | None = None) -> Executor:
    """Ray tasks with `ray`; else, with a time limit (`seconds`), a process per trial; else
    this process (1 worker) or a pool of W processes."""
    if ray is not None:
        return RayTasks(ray, seconds)
    if seconds is not None:
        return LimitedProcesses(workers, seconds)
    return InProcess() if workers == 1 else LocalProcesses(workers)
