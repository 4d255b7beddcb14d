"""The host runner: TFLM-like API, sanitizer builds, size figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.tflm import tflm_interpreter

KWS = "models/mlperf_kws/kws_ref_model.tflite"


@pytest.fixture(scope="module")
def kws(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    return compile_and_load(shared_data / KWS, tmp_path_factory.mktemp("kws") / "kws", "kws")


def test_details_mirror_tflm(kws, shared_data: Path, tflm) -> None:
    reference = tflm_interpreter((shared_data / KWS).read_bytes())
    ours, theirs = kws.get_input_details(0), reference.get_input_details(0)
    assert ours["shape"] == list(theirs["shape"])
    assert np.dtype(ours["dtype"]) == theirs["dtype"]
    scale, zero = ours["quantization"]
    assert scale == pytest.approx(theirs["quantization_parameters"]["scales"][0])
    assert zero == theirs["quantization_parameters"]["zero_points"][0]
    assert kws.output_details(0)["shape"] == [1, 12]


def test_swappable_with_tflm(kws, shared_data: Path, tflm) -> None:
    x = np.random.default_rng(3).integers(-128, 128, (1, 49, 10, 1), dtype=np.int8)
    outputs = []
    for runner in (kws, tflm_interpreter((shared_data / KWS).read_bytes())):
        runner.set_input(x, 0)  # TFLM's argument order works on both
        runner.invoke()
        outputs.append(np.array(runner.get_output(0)))
    np.testing.assert_array_equal(outputs[0], outputs[1])


def test_set_input_index_first(kws) -> None:
    x = np.random.default_rng(4).integers(-128, 128, (1, 49, 10, 1), dtype=np.int8)
    kws.set_input(0, x)
    first = kws.run([x])[0]
    kws.set_input(x, 0)
    kws.invoke()
    np.testing.assert_array_equal(kws.get_output(0), first)


def test_set_input_checks_size(kws) -> None:
    with pytest.raises(ValueError, match="input 0 needs 490 values"):
        kws.set_input(0, np.zeros(10, np.int8))


def test_sanitized_build_agrees(kws) -> None:
    rng = np.random.default_rng(5)
    sanitized = kws.sanitized()
    for _ in range(3):
        x = rng.integers(-128, 128, (1, 49, 10, 1), dtype=np.int8)
        np.testing.assert_array_equal(sanitized.run([x])[0], kws.run([x])[0])


def test_size_figures(kws) -> None:
    assert kws.arena_size == kws.memory_plan.arena_size > 0
    assert kws.weight_bytes > 24_000
    assert kws.flash_estimate(cortex_m=False) > kws.weight_bytes


def test_kws_fits_the_flash_goal(kws) -> None:
    import shutil

    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc is not installed (apt install gcc-arm-none-eabi)")
    # DESIGN.md: flash for KWS <= weights (24.4 KB) + 10 KB, here on a Cortex-M4 with -Os
    assert kws.weight_bytes < kws.flash_estimate() <= 34_400
