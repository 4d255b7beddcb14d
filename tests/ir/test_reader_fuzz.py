"""Fuzz the .tflite reader with seeded, corrupted variants of the shared models.

Each variant must give a MicroforgeError (ModelError, or UnsupportedOpError for a flipped
tensor type) or a graph that reads, verifies and (for a sample) compiles to C; never a crash,
a hang, an out-of-memory or a raw Python exception. The batch runs in a subprocess (address
space capped, a time limit per variant and overall) so a segfault fails the test instead of
killing pytest. Reproduce a batch: `python -m tests.ir.test_reader_fuzz <seed> <count> <compile_every>
<model.tflite>...` (model i gets seed + i).
"""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ir.test_tflite_reader import MODELS

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_SPACE_LIMIT = 2 << 30  # bytes, per batch subprocess
SECONDS_PER_VARIANT = 10
MUTATIONS = ("truncate", "bit_flips", "byte_overwrite", "bad_offset", "zero_region", "vtable")


@dataclass(frozen=True)
class Variant:
    index: int
    mutation: str
    data: bytes


def structure_region(data: bytes) -> list[int]:
    """Byte positions outside the buffers' constant data: tables, vtables, vectors, strings."""
    import tflite

    model = tflite.Model.GetRootAsModel(data, 0)
    in_data = bytearray(len(data))
    for i in range(model.BuffersLength()):
        buf = model.Buffers(i)
        n = buf.DataLength()
        if n:
            start = buf._tab.Vector(buf._tab.Offset(4))
            in_data[start:start + n] = b"\x01" * n
    return [p for p in range(len(data)) if not in_data[p]]


def table_positions(data: bytes) -> list[int]:
    """Positions of the model's flatbuffer tables (their vtables are found from these)."""
    import tflite

    model = tflite.Model.GetRootAsModel(data, 0)
    tables = [model._tab.Pos]
    for i in range(model.OperatorCodesLength()):
        tables.append(model.OperatorCodes(i)._tab.Pos)
    for i in range(model.BuffersLength()):
        tables.append(model.Buffers(i)._tab.Pos)
    sub = model.Subgraphs(0)
    tables.append(sub._tab.Pos)
    for i in range(sub.TensorsLength()):
        tensor = sub.Tensors(i)
        tables.append(tensor._tab.Pos)
        if tensor.Quantization() is not None:
            tables.append(tensor.Quantization()._tab.Pos)
    for i in range(sub.OperatorsLength()):
        op = sub.Operators(i)
        tables.append(op._tab.Pos)
        if op.BuiltinOptions() is not None:
            tables.append(op.BuiltinOptions().Pos)
    return tables


def mutate(data: bytes, rng: random.Random, mutation: str, region: list[int],
           tables: list[int]) -> bytes:
    out = bytearray(data)
    if mutation == "truncate":
        # half anywhere, half inside the structure (where the reader follows offsets)
        cut = rng.randrange(len(data)) if rng.random() < 0.5 else rng.choice(region)
        return bytes(out[:cut])
    if mutation == "bit_flips":
        for _ in range(rng.randint(1, 8)):
            out[rng.choice(region)] ^= 1 << rng.randrange(8)
    elif mutation == "byte_overwrite":
        for _ in range(rng.randint(1, 4)):
            out[rng.choice(region)] = rng.choice((0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)))
    elif mutation == "bad_offset":  # a 32-bit offset / length / index pointing out of range
        pos = rng.choice(region) & ~3
        value = rng.choice((len(data) + rng.randrange(1, 1 << 16), 0x7FFFFFFF, 0xFFFFFFFF,
                            0x80000000, rng.randrange(1 << 32), len(data) - rng.randrange(1, 64)))
        struct.pack_into("<I", out, min(pos, len(out) - 4), value & 0xFFFFFFFF)
    elif mutation == "zero_region":
        start = rng.choice(region)
        end = min(len(out), start + rng.randint(4, 256))
        out[start:end] = bytes(end - start)
    elif mutation == "vtable":  # a field slot of a table's vtable, or the vtable offset itself
        table = rng.choice(tables)
        vtable = table - struct.unpack_from("<i", data, table)[0]
        if rng.random() < 0.2:
            struct.pack_into("<i", out, table, rng.choice((0, 1 << 30, -(1 << 30), rng.randrange(
                -(1 << 16), 1 << 16))))
        else:
            vt_len = struct.unpack_from("<H", data, vtable)[0]
            slot = vtable + 2 * rng.randrange(max(vt_len // 2, 1))
            struct.pack_into("<H", out, slot, rng.choice((0, 0xFFFF, 4, rng.randrange(1 << 16))))
    return bytes(out)


def variants(data: bytes, seed: int, count: int) -> Iterator[Variant]:
    """`count` corrupted copies of `data`, the same for the same seed."""
    rng = random.Random(seed)
    region, tables = structure_region(data), table_positions(data)
    for index in range(count):
        mutation = MUTATIONS[index % len(MUTATIONS)]
        yield Variant(index, mutation, mutate(data, rng, mutation, region, tables))


class CompileStageError(Exception):
    """A raw exception from compile_model (op modules) on a graph the reader accepted."""


def check_variant(variant: Variant, compile_it: bool, tmp: Path) -> str:
    """'error' (a MicroforgeError), 'read' (valid graph) or 'compiled'; other exceptions escape."""
    from microforge.errors import MicroforgeError
    from microforge.ir.tflite_reader import read_tflite
    from microforge.ir.verifier import verify_graph
    from microforge.runners.host import compile_and_load

    try:
        verify_graph(read_tflite(variant.data))
    except MicroforgeError:
        return "error"
    if not compile_it:
        return "read"
    try:
        compile_and_load(variant.data, tmp / f"v{variant.index}", name="fuzz")
    except MicroforgeError:
        return "error"
    except Exception as exc:
        raise CompileStageError(f"{type(exc).__name__}: {exc}") from exc
    return "compiled"


def run_batch(model: Path, seed: int, count: int, compile_every: int) -> dict:
    """Run in the subprocess: outcome counts and every escaped exception (a bug)."""
    import resource
    import signal
    import tempfile
    import traceback

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"variant took more than {SECONDS_PER_VARIANT} s")

    signal.signal(signal.SIGALRM, on_alarm)
    counts: dict[str, int] = {}
    bugs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mf_fuzz_") as tmp:
        for v in variants(model.read_bytes(), seed, count):
            print(f"variant {v.index} ({v.mutation})", file=sys.stderr, flush=True)
            signal.alarm(SECONDS_PER_VARIANT)
            try:
                outcome = check_variant(v, compile_every > 0 and v.index % compile_every == 0,
                                        Path(tmp))
            except Exception as exc:  # noqa: BLE001 - every escape is a finding
                outcome = "bug"
                origin = exc.__cause__ or exc
                last = traceback.extract_tb(origin.__traceback__)[-1]
                bugs.append(f"{model.name} seed {seed} variant {v.index} ({v.mutation}): "
                            f"{type(exc).__name__}: {str(exc)[:200]} at {last.filename}:"
                            f"{last.lineno}")
            finally:
                signal.alarm(0)
            counts[outcome] = counts.get(outcome, 0) + 1
    return {"counts": counts, "bugs": bugs}


def fuzz_in_subprocess(models: list[Path], seed: int, count: int, compile_every: int,
                       timeout: float) -> list[dict]:
    """One subprocess for all `models` (model i uses seed + i); a crash fails the caller."""
    cmd = [sys.executable, "-m", "tests.ir.test_reader_fuzz", str(seed), str(count),
           str(compile_every), *map(str, models)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    last = proc.stderr.strip().splitlines()[-3:]
    assert proc.returncode == 0, f"fuzz batch died ({proc.returncode}) at: {last}"
    results = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    assert len(results) == len(models)
    assert all(sum(r["counts"].values()) == count for r in results)
    return results


def _assert_clean(results: list[dict]) -> None:
    bugs = [b for r in results for b in r["bugs"]]
    assert not bugs, f"{len(bugs)} variants escaped as non-MicroforgeError:\n" + "\n".join(bugs)
    errors = sum(r["counts"].get("error", 0) for r in results)
    assert errors > 0, "no variant was rejected: the mutations do not reach the structure"


def test_variants_are_deterministic(shared_data: Path) -> None:
    data = (shared_data / "models" / MODELS[5]).read_bytes()
    first = [v.data for v in variants(data, 7, 24)]
    assert first == [v.data for v in variants(data, 7, 24)]
    assert all(v != data for v in first[1:])  # index 0 truncates: always shorter


def test_fuzz_reader_fast(shared_data: Path) -> None:
    """306 variants across the 9 models (every 5th compiled), in one subprocess."""
    models = [shared_data / "models" / m for m in MODELS]
    results = fuzz_in_subprocess(models, seed=1000, count=34, compile_every=5, timeout=120)
    _assert_clean(results)


@pytest.mark.slow
@pytest.mark.parametrize("relative", MODELS)
def test_fuzz_reader_thorough(shared_data: Path, relative: str) -> None:
    """800 variants per model (7,200 in all), every 10th compiled to C."""
    results = fuzz_in_subprocess([shared_data / "models" / relative], seed=2000 + MODELS.index(
        relative), count=800, compile_every=10, timeout=900)
    _assert_clean(results)


def test_reshape_without_inputs_is_a_model_error(shared_data: Path, tmp_path: Path) -> None:
    """Found by the fuzzer (ResNet-8 int8, seed 5, variant 550: a zeroed region empties an operator list)."""
    data = (shared_data / "models" / "mlperf_ic/pretrainedResnet_quant.tflite").read_bytes()
    variant = next(v for v in variants(data, 5, 551) if v.index == 550)
    assert check_variant(variant, True, tmp_path) in ("error", "compiled")


def test_fully_connected_bias_overflow_is_a_model_error(shared_data: Path, tmp_path: Path) -> None:
    """Found by the fuzzer (hello_world int8, seed 2005, variant 560: a byte overwrite)."""
    data = (shared_data / "models" / "tflm_hello_world/hello_world_int8.tflite").read_bytes()
    variant = next(v for v in variants(data, 2005, 561) if v.index == 560)
    assert check_variant(variant, True, tmp_path) in ("error", "compiled")


def test_conv2d_zero_input_channels_is_a_model_error(shared_data: Path, tmp_path: Path) -> None:
    """Found by the fuzzer (ResNet-8 float, seed 70007, variant 244: input shape (1,32,32,0))."""
    data = (shared_data / "models" / "mlperf_ic/pretrainedResnet.tflite").read_bytes()
    variant = next(v for v in variants(data, 70007, 245) if v.index == 244)
    assert check_variant(variant, True, tmp_path) in ("error", "compiled")


if __name__ == "__main__":
    _seed, _count, _every = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    for _i, _model in enumerate(sys.argv[4:]):
        print(json.dumps(run_batch(Path(_model), _seed + _i, _count, _every)), flush=True)
