"""UNIDIRECTIONAL_SEQUENCE_LSTM vs TFLM on Keras LSTM models (int8 with an int16 cell state:
bit-exact; float32: within assert_same's tolerance), over a stream of invokes that carry the
hidden and cell state from one to the next, then after mf_<name>_reset()."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import assert_same
from tests.ops.lstm_models import CASES, LstmCase, build_lstm, quantized

pytestmark = pytest.mark.slow  # each case converts a Keras model (a few seconds)


def _inputs(model, samples: np.ndarray) -> list[np.ndarray]:
    scale, zero_point = model.input_details(0)["quantization"]
    if model.input_details(0)["dtype"] == "int8":
        return [quantized(s, scale, zero_point) for s in samples]
    return list(samples)


@pytest.mark.parametrize("dtype", ["int8", "float32"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_stream_of_invokes_matches_tflm_and_reset_starts_over(
        tf, tflm, tmp_path: Path, case: LstmCase, dtype: str) -> None:
    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data, samples = build_lstm(case, dtype)
    model = microforge.compile(data, tmp_path / "out")
    assert model.info.state_size > 0  # the hidden and cell states
    interp = tflm_interpreter(data)
    inputs = _inputs(model, samples)
    outputs = []
    for k, x in enumerate(inputs[:12]):
        expected = run_tflm(data, [x], interp)
        got = model.run([x])
        assert_same(expected, got, f"{case.name} {dtype} invoke {k}")
        outputs.append(got[0])
    # the state carries over: the same input gives another output later in the stream
    assert not np.array_equal(model.run([inputs[0]])[0], outputs[0])
    interp.reset()
    model.reset()
    for k, x in enumerate(inputs[:4]):
        assert_same(run_tflm(data, [x], interp), model.run([x]), f"after reset {k}")
    model.reset()
    assert_same(run_tflm(data, [inputs[0]], tflm_interpreter(data)), model.run([inputs[0]]),
                "reset = a fresh interpreter")


def test_int8_state_starts_at_its_zero_point_under_the_sanitizers(tf, tflm, tmp_path) -> None:
    """A sanitized invoke runs from a reset state (its own process): TFLM's first invoke."""
    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data, samples = build_lstm(CASES[0], "int8")
    model = microforge.compile(data, tmp_path / "out").sanitized()
    for x in _inputs(model, samples[:3]):
        assert_same(run_tflm(data, [x], tflm_interpreter(data)), model.run([x]), "sanitized")


def test_state_lives_outside_the_arena(tf, tmp_path: Path) -> None:
    """The planner never reuses state: the header names its size and the reset function."""
    from microforge.codegen.compiler import compile_model

    data, _ = build_lstm(CASES[0], "int8")
    info = compile_model(data, tmp_path / "out", name="kws")
    lstm = next(op for op in info.ops if op.op_type == "UNIDIRECTIONAL_SEQUENCE_LSTM")
    variables = {t for s in info.state.slots for t in s.tensors}
    assert len(variables) == 2 and not variables & set(info.plan.tensor_offsets)
    assert info.state_size == 16 + 16  # int8 [1, 8] and int16 [1, 8], each 16-byte aligned
    header = (tmp_path / "out" / "kws.h").read_text()
    assert "#define MF_KWS_STATE_SIZE 32" in header and "void mf_kws_reset(void);" in header
    assert lstm.cost.macs == 10 * 4 * 8 * (4 + 8)


def test_gate_multipliers_follow_tflm_where_float32_and_double_differ(tf, tflm, tmp_path,
                                                                       monkeypatch) -> None:
    """The gates' FC multipliers from the double product of the scales (what TFLM does), not
    the float32 product its source text suggests: on random inputs where the two compiled
    variants disagree, the double one equals TFLM."""
    import microforge
    import microforge.ops.unidirectional_sequence_lstm as lstm
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data, _ = build_lstm(CASES[2], "int8")
    double = microforge.compile(data, tmp_path / "double")
    monkeypatch.setattr(lstm, "_fc_multiplier", lambda x, w: float(
        np.float32(x.scale) * np.float32(w.scale)) / lstm.GATE_INPUT_SCALE)
    single = microforge.compile(data, tmp_path / "float32")
    rng = np.random.default_rng(1)
    disagreements = 0
    for _ in range(4000):
        x = rng.integers(-128, 128, CASES[2].input_shape).astype(np.int8)
        double.reset()
        single.reset()
        a, b = double.run([x])[0], single.run([x])[0]
        if not np.array_equal(a, b):
            disagreements += 1
            assert np.array_equal(a, run_tflm(data, [x], tflm_interpreter(data))[0])
    assert disagreements > 0, "no input told the two multiplier rules apart"


@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="QEMU is not installed")
@pytest.mark.parametrize("board", ["nucleo_l4r5zi", "raspberry_pi_pico"])
def test_int8_lstm_on_the_emulated_cores(tf, tflm, tmp_path: Path, board: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Cortex-M4F and M0+: a stream of inputs, bit-exact with TFLM run on the same stream."""
    from microforge.cli import main

    data, _ = build_lstm(CASES[0], "int8")
    path = tmp_path / "lstm.tflite"
    path.write_bytes(data)
    assert main(["verify", str(path), "--board", board, "-n", "6"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "OK: 6 random inputs" in out and "bit for bit" in out
