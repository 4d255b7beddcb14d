"""`microforge compile` under faults: killed at random moments, two runs into one folder, a
file in the way of the output. The previous output survives and nothing is left behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microforge.cli import main

MODEL = "models/mlperf_kws/kws_ref_model.tflite"


def _compile_cmd(model: Path, out: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "microforge"), "compile", str(model), "-o", str(out)]


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_compile_onto_a_file_is_one_line_and_leaves_the_file(shared_data: Path,
                                                             tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    assert main(["compile", str(shared_data / MODEL), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "exists and is not a folder" in err and str(out) in err
    assert out.read_text() == "not a folder" and _hidden(tmp_path) == []


def test_compile_while_another_run_holds_the_folder_fails_in_one_line(
        shared_data: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom microforge.atomic import locked_output\n"
         f"with locked_output({str(out)!r}):\n    print('in', flush=True)\n    time.sleep(30)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "in"
        assert main(["compile", str(shared_data / MODEL), "-o", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "another microforge run" in err and f"pid {holder.pid}" in err
    finally:
        holder.kill()
        holder.wait()
    assert not out.exists()


@pytest.mark.slow
def test_two_compiles_into_one_folder_one_wins_the_other_says_so(shared_data: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(4):
        procs = [subprocess.Popen(_compile_cmd(shared_data / MODEL, out), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(timeout=300), p.stderr.read().strip()) for p in procs]
        for code, err in results:
            assert code == 0 or (code == 2 and "another microforge run" in err
                                 and "\n" not in err), (code, err)
        assert 0 in [code for code, _ in results]
        assert (out / "model.c").is_file() and _hidden(tmp_path) == []


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_nothing_after_the_next_run(shared_data: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert subprocess.run(_compile_cmd(shared_data / MODEL, out), capture_output=True).returncode == 0
    good = (out / "model.c").read_text()
    rng = random.Random(19)
    start = time.monotonic()
    subprocess.run(_compile_cmd(shared_data / MODEL, out), capture_output=True)
    duration = time.monotonic() - start
    for _ in range(8):
        proc = subprocess.Popen(_compile_cmd(shared_data / MODEL, out),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert (out / "model.c").read_text() == good  # the previous output survives the kill
    done = subprocess.run(_compile_cmd(shared_data / MODEL, out), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (out / "model.c").read_text() == good
    assert _hidden(tmp_path) == []  # no temp folder, no lock file
