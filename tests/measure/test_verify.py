"""verify_on_mcu pieces: inputs, comparison, reference choice; one real run on the M4."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from microforge.errors import ConfigError, DataError
from microforge.measure.verify import compare, file_inputs, random_inputs, verify_on_mcu
from microforge.targets.toolchain import toolchain_available


def _info(dtype: str, shape: tuple[int, ...], scale: float | None = None, zero: int = 0):
    size = int(np.prod(shape))
    detail = SimpleNamespace(dtype=dtype, shape=shape, size=size, scale=scale, zero_point=zero,
                             name="x", position=0)
    return SimpleNamespace(inputs=[detail])


def test_random_inputs_cover_the_int8_range_and_are_seeded() -> None:
    info = _info("int8", (1, 64, 16))
    a, b = random_inputs(info, 3, seed=1), random_inputs(info, 3, seed=1)
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(a, b, strict=True))
    values = np.concatenate([s[0].ravel() for s in a])
    assert values.dtype == np.int8 and values.min() == -128 and values.max() == 127
    floats = random_inputs(_info("float32", (2, 3)), 2, seed=0)
    assert floats[0][0].dtype == np.float32 and np.all(np.abs(floats[0][0]) <= 1)


def test_file_inputs_quantize_windows(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    np.arange(10, dtype=np.float32).tofile(path)
    sets = file_inputs(_info("int8", (1, 4), scale=0.5, zero=-3), path)
    assert len(sets) == 2  # the last 2 values do not fill a window
    np.testing.assert_array_equal(sets[1][0], np.array([[5, 7, 9, 11]], np.int8))
    with pytest.raises(DataError, match="needs 40"):
        file_inputs(_info("float32", (4, 10)), path)


def test_compare_is_exact_for_int_and_tolerant_for_float() -> None:
    a = [[np.array([1, 2, 3], np.int8)]]
    lines, worst = compare(a, [[np.array([1, 2, 4], np.int8)]], hybrid=False)
    assert lines == ["input 0, output 0: 1 of 3 values differ (max |diff| 1)"] and worst == 1
    f = [[np.array([1.0, 2.0], np.float32)]]
    assert compare(f, [[np.array([1.0, 2.0 + 1e-6], np.float32)]], hybrid=False)[0] == []
    assert compare(f, [[np.array([1.0, 2.1], np.float32)]], hybrid=False)[0]


def test_estimate_only_board_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no emulator here"):
        verify_on_mcu(tmp_path / "m.tflite", "esp32")


@pytest.mark.skipif(not toolchain_available("arm"), reason="Arm toolchain needed")
def test_float_model_within_tolerance_on_cortex_m3_soft_float(shared_data: Path) -> None:
    model = shared_data / "models/tflm_hello_world/hello_world_float.tflite"
    report = verify_on_mcu(model, "stm32f103c8_bluepill", n_inputs=10, seed=2)
    assert report.passed, report.mismatches
    assert report.reference.startswith("TFLM (rtol") and report.n_inputs == 10
    assert report.stack_bytes > 0 and report.ram_bytes >= report.library_ram_bytes
    assert len(report.instructions) == 10 and report.latency_ms > 0


@pytest.mark.slow
@pytest.mark.skipif(not toolchain_available("arm"), reason="Arm toolchain needed")
def test_hybrid_model_is_checked_against_litert(tf, tmp_path: Path) -> None:
    from tests.conftest import require_module
    from tests.ops.test_fully_connected import hybrid_model

    require_module("ai_edge_litert")
    path = tmp_path / "hybrid.tflite"
    path.write_bytes(hybrid_model(1))
    report = verify_on_mcu(path, "nucleo_l4r5zi", n_inputs=5)
    assert report.reference.startswith("LiteRT reference kernels (hybrid model")
    assert report.passed, report.mismatches
