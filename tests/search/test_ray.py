"""The same trials as Ray tasks on a local Ray cluster (2 CPUs) as run here, for one seed."""

from __future__ import annotations

import pytest

from microforge.search.settings import resolve_settings
from microforge.search.study import run_search
from tests.conftest import require_module
from tests.search.har_project import NEVER_FITS, har_project

BOARD = "stm32f103c8_bluepill"

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.train]


@pytest.fixture
def local_ray(tf):
    require_module("ray")
    require_module("optuna")
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (make toolchain)")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_tasks_give_the_trials_of_the_local_run(shared_data, tmp_path, local_ray):
    """Values are sampled by the study in this process, so where the trials run does not
    change them: local sequential sampling (W = 1) and Ray tasks asked 2 at a time give the
    same values in TPE's seeded start-up phase (docs/search.md). Every candidate is over
    budget here, so each Ray task costs its candidate on QEMU and nothing is trained."""
    config = har_project(tmp_path / "har", shared_data, NEVER_FITS)
    local = run_search(resolve_settings(config, board=BOARD, trials=3,
                                        out=tmp_path / "local"))
    on_ray = run_search(resolve_settings(config, board=BOARD, trials=3, workers=2,
                                         ray="local", out=tmp_path / "ray"))
    assert on_ray.executor.startswith("Ray tasks (2 CPUs") and local.executor.startswith("1 ")
    assert [t["params"] for t in on_ray.trials] == [t["params"] for t in local.trials]
    # the costs measured in the Ray workers equal the local ones
    assert [t["cost"] for t in on_ray.trials] == [t["cost"] for t in local.trials]
    assert all(t["state"] == "infeasible" for t in on_ray.trials)


def test_ray_tasks_with_a_time_limit(shared_data, tmp_path, local_ray):
    """With a time limit each Ray task runs its trial in a child process: at 0.5 s (less than
    the child needs to start) it is killed and the trial failed with the limit's reason; the
    study resumed with 300 s gets its next trial's outcome back from the child."""
    config = har_project(tmp_path / "har", shared_data, NEVER_FITS + 'cost = "model"\n')
    run = run_search(resolve_settings(config, board=BOARD, trials=2, workers=2, ray="local",
                                      trial_timeout=0.5))
    assert run.executor.endswith("time limit 0.5 s per trial")
    assert [(t["state"], t["reason"]) for t in run.trials] == [
        ("failed", "time limit of 0.5 s")] * 2
    again = run_search(resolve_settings(config, board=BOARD, trials=1, ray="local",
                                        trial_timeout=300))
    assert again.trials[2]["state"] == "infeasible" and again.trials[2]["cost"] is not None
