"""`microforge run` and `microforge train` killed (SIGKILL) at random moments: the previous
outputs survive every kill (or, killed after its rename, the new complete output is there), and after the next complete run nothing is left behind (no temp
folder, no lock file). The compile command's faults: tests/cli/test_compile_faults.py."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.measure.project_fixture import write_project

pytestmark = [pytest.mark.slow, pytest.mark.train]


def _cmd(stage: str, toml: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "microforge"), stage, str(toml)]


def _env() -> dict[str, str]:
    return {**os.environ, "MICROFORGE_REPORT_PROFILE": "0"}  # no QEMU runs: shorter runs


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _outputs(out: Path) -> dict[str, bytes]:
    names = ("labels.json", "dsp.json", "model_int8.tflite", "manifest.json", "report.json")
    return {name: (out / name).read_bytes() for name in names}


def test_sigkill_during_run_and_train_leaves_the_previous_output_and_no_leftovers(
        tmp_path: Path) -> None:
    toml = write_project(tmp_path)
    out = tmp_path / "build"
    start = time.monotonic()
    first = subprocess.run(_cmd("run", toml), capture_output=True, text=True, env=_env())
    duration = time.monotonic() - start
    assert first.returncode == 0, first.stderr
    good = _outputs(out)
    rng = random.Random(19)
    killed = 0
    for stage in ("run", "run", "run", "train", "train", "run"):
        proc = subprocess.Popen(_cmd(stage, toml), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=_env())
        time.sleep(rng.uniform(0.1, 0.5) * duration)  # early enough to land on a busy machine
        if proc.poll() is not None:  # finished before the kill: a new, complete output
            assert proc.returncode == 0
            good = _outputs(out)
            continue
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed += 1
        now = _outputs(out)  # every file there and readable: never half-written
        if now != good:
            # killed after its output was renamed into place (while the process was exiting):
            # a complete new run, which differs from the old one only in its report timings
            assert {k: v for k, v in now.items() if k != "report.json"} == \
                {k: v for k, v in good.items() if k != "report.json"}, \
                f"a SIGKILLed `{stage}` left a mixed output"
            json.loads(now["report.json"])
            good = now
    assert killed >= 4  # the kills landed inside the runs
    again = subprocess.run(_cmd("run", toml), capture_output=True, text=True, env=_env())
    assert again.returncode == 0, again.stderr
    assert (out / "model_int8.tflite").is_file() and (out / "report.json").is_file()
    assert _hidden(tmp_path) == []  # the killed runs' temp folders and locks are gone
