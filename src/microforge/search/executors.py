"""Where trials run: in this process (one worker), in W processes on this machine, or as Ray
tasks. Each takes a batch of TrialJobs and returns their outcomes in the same order, so the
study (search/study.py) asks and tells the same way whatever runs the trials."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol

from microforge.errors import ToolchainError
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


class RayTasks:
    """Each trial a Ray task (1 CPU) on the cluster at `address` ("auto", "local" or
    host:port); a cluster already initialised in this process is used as it is."""

    def __init__(self, address: str) -> None:
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
        self._task = ray.remote(num_cpus=1)(run_trial)
        cpus = int(ray.cluster_resources().get("CPU", 0))
        self.description = f"Ray tasks ({cpus} CPUs in the cluster)"

    def run(self, jobs: list[TrialJob]) -> list[dict[str, Any]]:
        return list(self._ray.get([self._task.remote(job) for job in jobs]))

    def close(self) -> None:
        pass


def import_ray():
    try:
        import ray
    except ImportError:
        raise ToolchainError(RAY_MISSING) from None
    return ray


def make_executor(workers: int, ray: str | None) -> Executor:
    if ray is not None:
        return RayTasks(ray)
    return InProcess() if workers == 1 else LocalProcesses(workers)
