"""`microforge compile MODEL.onnx`: a working import, and bad input: one line, exit 2, nothing
written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from tests.importers.onnx_fixtures import Builder, mlp


@pytest.fixture()
def mlp_onnx(onnx_stack, tmp_path: Path) -> tuple[Path, Path]:
    import onnx

    model, x, _ = mlp()
    onnx.save(model, str(tmp_path / "mlp.onnx"))
    np.save(tmp_path / "calib.npy", x)
    return tmp_path / "mlp.onnx", tmp_path / "calib.npy"


def _one_line_error(capsys, *parts: str) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    for part in parts:
        assert part in err, err
    return err


@pytest.mark.slow  # the first conversion of a process imports TensorFlow and onnx2tf
def test_compile_onnx_writes_c_and_the_tflite(mlp_onnx, tmp_path: Path, capsys) -> None:
    model, calib = mlp_onnx
    out = tmp_path / "out"
    assert main(["compile", str(model), "-o", str(out), "--calibration", str(calib),
                 "--name", "mlp"]) == 0
    printed = capsys.readouterr().out
    assert "top-1 agreement 100.0%" in printed and "0 left in the C" in printed
    assert {"mlp.c", "mlp.h", "mlp.tflite"} <= {p.name for p in out.iterdir()}


def test_not_an_onnx_file(onnx_stack, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"TFL3 this is not a protobuf \xff\xfe")
    assert main(["compile", str(bad), "-o", str(tmp_path / "out"), "--float"]) == 2
    _one_line_error(capsys, str(bad), "not a valid ONNX model")
    assert not (tmp_path / "out").exists()


def test_dynamic_shape_without_a_fixed_size(onnx_stack, mlp_onnx, tmp_path: Path,
                                            capsys) -> None:
    import onnx

    model, calib = mlp_onnx
    proto = onnx.load(str(model))
    proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param = "batch"
    dynamic = tmp_path / "dynamic.onnx"
    onnx.save(proto, str(dynamic))
    out = tmp_path / "out"
    assert main(["compile", str(dynamic), "-o", str(out), "--calibration", str(calib)]) == 2
    _one_line_error(capsys, str(dynamic), "dynamic shape", "--input-shape")
    assert not out.exists()
    assert main(["compile", str(dynamic), "-o", str(out), "--calibration", str(calib),
                 "--input-shape", "1,16"]) == 0  # the fix the message names


def test_calibration_of_the_wrong_shape(mlp_onnx, tmp_path: Path, capsys) -> None:
    model, _ = mlp_onnx
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, x=np.zeros((8, 3, 16), np.float32))
    assert main(["compile", str(model), "-o", str(tmp_path / "out"), "--calibration",
                 str(wrong)]) == 2
    _one_line_error(capsys, str(wrong), "[8, 3, 16]", "[N, 16]")
    assert not (tmp_path / "out").exists()


def test_int8_without_calibration(mlp_onnx, tmp_path: Path, capsys) -> None:
    model, _ = mlp_onnx
    assert main(["compile", str(model), "-o", str(tmp_path / "out")]) == 2
    _one_line_error(capsys, "needs calibration samples", "--calibration")


def test_unsupported_op(onnx_stack, tmp_path: Path, capsys) -> None:
    import onnx

    b = Builder(7)
    h = b.gemm("x", b.rng.normal(0, 0.3, (6, 8)), np.zeros(6))
    out_name = b.node("Sign", [h])
    path = tmp_path / "sign.onnx"
    onnx.save(b.model((1, 8), out_name, [1, 1]), str(path))
    out = tmp_path / "out"
    assert main(["compile", str(path), "-o", str(out), "--float"]) == 2
    _one_line_error(capsys, str(path), "SIGN", "does not implement", "Sign")
    assert not out.exists()


@pytest.mark.slow
def test_verify_profile_deploy_take_the_onnx(mlp_onnx, tmp_path: Path, capsys) -> None:
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (make toolchain)")
    model, calib = mlp_onnx
    common = ["--calibration", str(calib)]
    assert main(["verify", str(model), "--board", "nucleo_l4r5zi", "-n", "5", *common]) == 0
    printed = capsys.readouterr().out
    assert "top-1 agreement" in printed and "OK" in printed
    assert main(["profile", str(model), "--board", "nucleo_l4r5zi", *common]) == 0
    assert "nucleo_l4r5zi" in capsys.readouterr().out
    out = tmp_path / "arduino"
    assert main(["deploy", str(model), "--board", "nucleo_l4r5zi", "--format", "arduino",
                 "-o", str(out), "--name", "mlp", *common]) == 0
    assert list(out.glob("*.zip"))
    assert main(["verify", str(model), "--board", "nucleo_l4r5zi"]) == 2
    assert "needs calibration samples" in capsys.readouterr().err
