"""A trial with a time limit: run in its own process (spawned: TensorFlow is not fork-safe),
killed with everything it started (the emulator, the compiler) when the limit passes, and
then a failed trial whose reason is "time limit of N s". The limit counts the process's wall
time from its start (importing TensorFlow included)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from typing import Any

from microforge.search.trial import FAILED, TrialJob, outcome, run_trial


def limit_reason(seconds: float) -> str:
    return f"time limit of {seconds:g} s"


def run_trial_limited(job: TrialJob, seconds: float) -> dict[str, Any]:
    """run_trial(job) in a new process, at most `seconds`; the outcome either way."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(job, send), daemon=True)
    started = time.perf_counter()
    process.start()
    send.close()  # this end is the child's: EOF when it ends
    try:
        if not receive.poll(seconds):
            _kill(process)
            return _failed(job, limit_reason(seconds), started)
        try:
            result: dict[str, Any] = receive.recv()
        except EOFError:
            process.join()
            return _failed(job, f"the trial's process ended (exit code {process.exitcode}) "
                                "without a result", started)
        process.join()
        return result
    finally:
        receive.close()


def _child(job: TrialJob, send: Any) -> None:
    with contextlib.suppress(OSError):
        os.setpgrp()  # its own process group: a kill reaches what it started
    send.send(run_trial(job))
    send.close()


def _kill(process: Any) -> None:
    if process.pid is not None and hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.join()


def _failed(job: TrialJob, reason: str, started: float) -> dict[str, Any]:
    result = outcome(job)
    result.update(state=FAILED, reason=reason,
                  seconds=round(time.perf_counter() - started, 2))
    return result
