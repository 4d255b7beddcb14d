"""Structure-aware fuzzing (tests/fuzz/mutants.py, run by tests/fuzz/run.py): every mutant is
rejected in one line naming the file, leaving nothing behind, or compiles to C that is
ASan/UBSan clean on random and extreme inputs. The long run is `make fuzz COUNT=N SEED=S`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.mutants import FAMILIES, mutant
from tests.fuzz.run import DEFAULT_MODELS, run


def _models(shared_data: Path) -> list[Path]:
    return [shared_data / "models" / m for m in DEFAULT_MODELS]


def _assert_clean(result: dict, count: int) -> None:
    assert not result["findings"], "\n".join(result["findings"])
    counts = result["counts"]
    assert sum(v for k, v in counts.items() if k != "sanitized") == count, counts
    assert counts.get("rejected", 0) > 0 and counts.get("compiled", 0) > 0, counts
    assert counts.get("sanitized", 0) > 0, counts


def test_mutants_are_deterministic_and_cover_every_family(shared_data: Path) -> None:
    data = (shared_data / "models" / DEFAULT_MODELS[0]).read_bytes()
    first = [mutant(data, 5, i) for i in range(40)]
    assert first == [mutant(data, 5, i) for i in range(40)]
    assert all(m != data for _, m in first[1:])
    described = " ".join(d for d, _ in first)
    assert all(f"{family}:" in described for family in FAMILIES)


def test_fuzz_structured_fast(shared_data: Path) -> None:
    """80 mutants of the small shared models; every 3rd compiled one under ASan/UBSan."""
    models = _models(shared_data)[:5]
    result = run(models, seed=7, count=80, workers=2, sanitize_every=3, timeout=600)
    _assert_clean(result, 80)


@pytest.mark.slow
def test_fuzz_structured_ci(shared_data: Path) -> None:
    """2,000 mutants of the shared models (about 4 minutes on 2 cores); every 6th compiled
    mutant under ASan/UBSan."""
    result = run(_models(shared_data), seed=99, count=2000, workers=2, sanitize_every=6,
                 timeout=1200)
    _assert_clean(result, 2000)
