"""Run structure-aware mutants (tests/fuzz/mutants.py) through the compiler.

Every mutant must be rejected with a MicroforgeError (leaving no output and no temp folder) or
compile to C that builds with -std=c99 -Wall -Wextra -Werror -pedantic and runs clean under
ASan/UBSan on random and extreme inputs (all maximum, all minimum, zeros). Anything else — a
raw exception, a sanitizer report, a crash, a compile or run over the time limit, a leftover —
is a finding, printed with the (seed, index) that reproduces it:

    python -m tests.fuzz.run --count 10000 --seed 1 --workers 2        # make fuzz COUNT= SEED=
    python -m tests.fuzz.run --seed 1 --only 1234 --model <path>       # one mutant, verbose

Mutant i uses model i mod len(models) (the shared models by default) and the rng seeded by
(seed, i), so a finding reproduces alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SECONDS_PER_MUTANT = 20
ADDRESS_SPACE_LIMIT = 3 << 30  # bytes, for the compiler process (not the sanitized runs)
DEFAULT_MODELS = [
    "tflm_hello_world/hello_world_int8.tflite", "tflm_hello_world/hello_world_float.tflite",
    "mlperf_ad/ad01_int8.tflite", "tflm_magic_wand/magic_wand.tflite",
    "tflm_micro_speech/micro_speech_quantized.tflite", "mlperf_kws/kws_ref_model.tflite",
    "mlperf_ic/pretrainedResnet_quant.tflite", "mlperf_ad/ad01_fp32.tflite",
]
SAN_FLAGS = ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
             "-fno-omit-frame-pointer"]


class Finding(Exception):
    """A mutant the compiler mishandled."""


def shared_models() -> list[Path]:
    base = Path(os.environ.get("MICROFORGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
    return [base / "models" / m for m in DEFAULT_MODELS]


def read_model(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _unlimited() -> None:
    """preexec_fn: ASan reserves terabytes of address space; lift the compiler's cap."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class SanitizedRunner:
    """Builds a compiled model with ASan/UBSan (kernel objects cached per worker) and runs it."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.objects = work / "kernel_objects"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.cc = shutil.which("gcc")

    def _compile(self, source: Path, include: Path, obj: Path) -> None:
        from microforge.runners.sizes import WARNING_FLAGS

        cmd = [self.cc, *WARNING_FLAGS, *SAN_FLAGS, "-c", str(source), "-I", str(include),
               "-o", str(obj)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS_PER_MUTANT,
                              preexec_fn=_unlimited)
        if done.returncode != 0:
            raise Finding(f"generated C does not build: {source.name}: {done.stderr[:400]}")

    def check(self, info, inputs: list[list[np.ndarray]]) -> None:
        from microforge.runners.host import sanitizer_main

        src = info.out_dir
        build = self.work / "build"
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir()
        (build / "mf_sanitizer_main.c").write_text(sanitizer_main(info), encoding="utf-8")
        objects = []
        for source in sorted(src.glob("*.c")):
            if source.stem == info.name:
                obj = build / f"{source.stem}.o"
                self._compile(source, src, obj)
            else:  # a runtime kernel: the same text for every mutant
                obj = self.objects / f"{source.stem}.o"
                if not obj.exists():
                    self._compile(source, src, obj)
            objects.append(str(obj))
        main_obj = build / "main.o"
        self._compile(build / "mf_sanitizer_main.c", src, main_obj)
        exe = build / "model"
        done = subprocess.run([self.cc, *SAN_FLAGS, str(main_obj), *objects, "-lm", "-o",
                               str(exe)], capture_output=True, text=True, preexec_fn=_unlimited)
        if done.returncode != 0:
            raise Finding(f"link failed: {done.stderr[:400]}")
        for k, arrays in enumerate(inputs):
            (build / "in.bin").write_bytes(b"".join(a.tobytes() for a in arrays))
            try:
                run = subprocess.run([str(exe), str(build / "in.bin"), str(build / "out.bin")],
                                     capture_output=True, text=True, timeout=SECONDS_PER_MUTANT,
                                     preexec_fn=_unlimited)
            except subprocess.TimeoutExpired:
                raise Finding(f"sanitized run {k} hangs (> {SECONDS_PER_MUTANT} s)") from None
            if run.returncode != 0 or "runtime error" in run.stderr or "Sanitizer" in run.stderr:
                report = [ln for ln in run.stderr.splitlines() if "runtime error" in ln
                          or "ERROR" in ln][:2]
                raise Finding(f"sanitized run {k} failed ({run.returncode}): {report}")


def input_sets(info, rng: np.random.Generator) -> list[list[np.ndarray]]:
    """Random, all-maximum, all-minimum and zero inputs for every graph input."""
    from microforge.ir.tensor import DTYPE_NUMPY

    sets = []
    for kind in ("random", "max", "min", "zero"):
        arrays = []
        for d in info.inputs:
            dtype = np.dtype(DTYPE_NUMPY[d.dtype])
            n = max(d.size, 1)
            if dtype.kind == "f":
                value = {"max": 1e30, "min": -1e30, "zero": 0.0}.get(kind)
                a = (rng.normal(0, 10, n) if value is None else np.full(n, value)).astype(dtype)
            elif dtype.kind == "b":
                a = rng.integers(0, 2, n).astype(dtype)
            else:
                info_ = np.iinfo(dtype)
                value = {"max": info_.max, "min": info_.min, "zero": 0}.get(kind)
                a = (rng.integers(info_.min, info_.max, n, endpoint=True) if value is None
                     else np.full(n, value)).astype(dtype)
            arrays.append(a)
        sets.append(arrays)
    return sets


def leftovers(work: Path) -> list[str]:
    return sorted(p.name for p in work.iterdir() if p.name not in ("kernel_objects", "build"))


def check_mutant(data: bytes, work: Path, runner: SanitizedRunner | None,
                 rng: np.random.Generator) -> str:
    """'rejected', 'compiled' (and sanitizer-clean when runner) or raises Finding."""
    from microforge.codegen.compiler import compile_model
    from microforge.errors import MicroforgeError

    out = work / "out"
    try:
        compiled = compile_model(data, out, name="fuzz")
    except MicroforgeError as exc:
        message = str(exc)
        if "\n" in message or not message.startswith("model bytes: "):
            raise Finding(f"error is not one line naming the file: {message[:200]!r}") from exc
        left = leftovers(work)
        if left:
            raise Finding(f"a rejected model left {left}") from exc
        return "rejected"
    except Finding:
        raise
    except Exception as exc:
        origin = traceback.extract_tb(exc.__traceback__)[-1]
        raise Finding(f"{type(exc).__name__}: {str(exc)[:200]} at {origin.filename}:"
                      f"{origin.lineno}") from exc
    try:
        if runner is not None:
            runner.check(compiled, input_sets(compiled, rng))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return "compiled"


def run_worker(models: list[Path], seed: int, indices, sanitize_every: int) -> dict:
    from tests.fuzz.mutants import mutant

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, hard))

    def on_alarm(signum, frame):
        raise TimeoutError(f"mutant took more than {SECONDS_PER_MUTANT} s")

    signal.signal(signal.SIGALRM, on_alarm)
    datas = [read_model(m) for m in models]
    counts: dict[str, int] = {}
    findings: list[str] = []
    compiled = 0
    with tempfile.TemporaryDirectory(prefix="mf_fuzz_") as tmp:
        work = Path(tmp)
        runner = SanitizedRunner(work)
        for index in indices:
            model = models[index % len(models)]
            print(f"mutant {index} ({model.name})", file=sys.stderr, flush=True)
            try:
                description, data = mutant(datas[index % len(models)], seed, index)
            except Exception as exc:  # noqa: BLE001 - a mutation the schema cannot pack
                counts["unpackable"] = counts.get("unpackable", 0) + 1
                print(f"  unpackable: {exc}", file=sys.stderr)
                continue
            sanitize = sanitize_every > 0 and compiled % sanitize_every == 0
            signal.alarm(SECONDS_PER_MUTANT * 8 if sanitize else SECONDS_PER_MUTANT)
            try:
                rng = np.random.default_rng([seed, index])
                outcome = check_mutant(data, work, runner if sanitize else None, rng)
                if outcome == "compiled":
                    compiled += 1
                    if sanitize:
                        counts["sanitized"] = counts.get("sanitized", 0) + 1
            except (Finding, TimeoutError, MemoryError) as exc:
                outcome = "finding"
                findings.append(f"seed {seed} mutant {index} ({model.name}; {description[:200]})"
                                f": {type(exc).__name__}: {exc}")
                for p in work.iterdir():
                    if p.name != "kernel_objects":
                        shutil.rmtree(p, ignore_errors=True)
            finally:
                signal.alarm(0)
            counts[outcome] = counts.get(outcome, 0) + 1
    return {"counts": counts, "findings": findings}


def run(models: list[Path], seed: int, count: int, workers: int, sanitize_every: int,
        timeout: float | None = None) -> dict:
    """All `count` mutants over `workers` subprocesses; merged counts, findings, seconds."""
    start = time.monotonic()
    procs = []
    for k in range(workers):
        cmd = [sys.executable, "-m", "tests.fuzz.run", "--worker", str(k), "--workers",
               str(workers), "--seed", str(seed), "--count", str(count), "--sanitize-every",
               str(sanitize_every), *[f"--model={m}" for m in models]]
        procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    counts: dict[str, int] = {}
    findings: list[str] = []
    for k, proc in enumerate(procs):
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            findings.append(f"worker {k} over the time limit at: {err.strip().splitlines()[-1:]}")
            continue
        if proc.returncode != 0 or not out.strip():
            findings.append(f"worker {k} died ({proc.returncode}) at: "
                            f"{err.strip().splitlines()[-3:]}")
            continue
        result = json.loads(out.strip().splitlines()[-1])
        for key, value in result["counts"].items():
            counts[key] = counts.get(key, 0) + value
        findings += result["findings"]
    return {"seed": seed, "count": count, "workers": workers, "counts": counts,
            "findings": findings, "seconds": round(time.monotonic() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sanitize-every", type=int, default=1,
                        help="run every Nth compiled mutant under ASan/UBSan (1: all)")
    parser.add_argument("--model", action="append", type=Path, default=None)
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--only", type=int, default=None, help="run one mutant index")
    parser.add_argument("--json", type=Path, default=None, help="write the summary here")
    args = parser.parse_args(argv)
    models = args.model or shared_models()
    if args.only is not None:
        result = run_worker(models, args.seed, range(args.only, args.only + 1), 1)
        print(json.dumps(result, indent=2))
        return 1 if result["findings"] else 0
    if args.worker is not None:
        # blocks of one mutant per model, dealt round-robin: every worker gets every model
        block = len(models)
        indices = [i for i in range(args.count) if (i // block) % args.workers == args.worker]
        print(json.dumps(run_worker(models, args.seed, indices, args.sanitize_every)))
        return 0
    result = run(models, args.seed, args.count, args.workers, args.sanitize_every)
    for finding in result["findings"]:
        print(finding)
    print(f"{result['count']} mutants, seed {result['seed']}, {result['workers']} workers, "
          f"{result['seconds']} s: {json.dumps(result['counts'])}; "
          f"{len(result['findings'])} findings")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if result["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
