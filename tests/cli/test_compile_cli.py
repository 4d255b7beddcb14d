"""`microforge compile`: summary on success, one-line error and exit 2 otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.cli import main


def test_compile_prints_plan_and_writes_sources(shared_data: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "out"), "--name", "kws", "--plan"])
    out = capsys.readouterr().out
    assert code == 0
    assert "CONV_2D" in out and "arena (RAM):" in out and "flash: constants" in out
    assert (tmp_path / "out" / "kws.c").is_file() and (tmp_path / "out" / "kws.h").is_file()
    assert "(+ 502 B of caller's input/output buffers)" in out


def test_inplace_input_flag(shared_data: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "out"), "--inplace-input"])
    assert code == 0
    assert "(+ 12 B of caller's input/output buffers)" in capsys.readouterr().out
    assert "mf_model_input0(void)" in (tmp_path / "out" / "model.h").read_text()


def test_inplace_output_flag_puts_all_io_in_the_arena(
        shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "out"), "--inplace-input",
                 "--inplace-output"])
    assert code == 0
    assert "(+ 0 B of caller's input/output buffers)" in capsys.readouterr().out
    header = (tmp_path / "out" / "model.h").read_text()
    assert "mf_model_output0(void)" in header and "mf_model_invoke(void)" in header


def test_not_a_model_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_text("nope")
    code = main(["compile", str(bad), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "not a TFLite model" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_unsupported_ops_exit_2(shared_data: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.codegen import compiler

    real = compiler.get_op
    monkeypatch.setattr(compiler, "get_op", lambda t: None if t == "SOFTMAX" else real(t))
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "SOFTMAX (operator 12, int8): no implementation" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_ops_lists_the_gaps_against_tflm(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["ops", "--missing"]) == 0
    out = capsys.readouterr().out
    assert "CONV_2D" not in out and "WHILE" not in out and "CIRCULAR_BUFFER" not in out
    assert "ops TFLM registers are implemented" in out


def test_weights_blob_writes_the_blob(shared_data: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from microforge.codegen.blob import read_blob_header

    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "out"), "--name", "kws",
                 "--weights", "blob"])
    assert code == 0
    header = read_blob_header((tmp_path / "out" / "kws.blob").read_bytes())
    printed = "".join(capsys.readouterr().out.split())  # rich wraps long lines
    assert f"GRAPH_ABI_HASH{header['abi_hash'].hex()}" in printed
    assert "mf_kws_set_blob" in (tmp_path / "out" / "kws.h").read_text()


def test_unknown_weights_mode_exits_2(shared_data: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "out"), "--weights", "ram"])
    assert code == 2
    err = capsys.readouterr().err
    assert "weights must be one of baked, blob" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_board_flag_generates_the_cores_kernel_variants(
        shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    code = main(["compile", str(model), "-o", str(tmp_path / "m4"), "--name", "kws",
                 "--board", "nucleo_l4r5zi"])
    out = capsys.readouterr().out
    assert code == 0
    assert "core: cortex-m4 (dsp, fpu sp); kernel variants: mf_average_pool2d_s8_dsp" in out
    assert "mf_conv2d_s8_1x1_dsp(&p" in (tmp_path / "m4" / "kws.c").read_text()
    assert main(["compile", str(model), "-o", str(tmp_path / "pico"), "--name", "kws",
                 "--board", "raspberry_pi_pico"]) == 0
    assert "none (portable kernels)" in capsys.readouterr().out
    assert "_dsp(&p" not in (tmp_path / "pico" / "kws.c").read_text()


def test_board_flag_errors(shared_data: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    assert main(["compile", str(model), "-o", str(tmp_path / "x"), "--board", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    onnx = tmp_path / "m.onnx"
    onnx.write_bytes(b"")
    assert main(["compile", str(onnx), "-o", str(tmp_path / "y"), "--board",
                 "nucleo_l4r5zi"]) == 2
    assert "--board is for a plain .tflite" in capsys.readouterr().err
