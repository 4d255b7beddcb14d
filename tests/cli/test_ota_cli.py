"""`microforge keys generate | bundle | bundle inspect | bundle verify`: the flow, and one-line
errors with exit 2."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from microforge.cli import main


def _one_line_error(err: str) -> None:
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_the_whole_flow(shared_data: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    model = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    assert main(["keys", "generate", "-o", str(tmp_path / "k")]) == 0
    out = capsys.readouterr().out
    key = tmp_path / "k" / "signing.key"
    assert "PRIVATE" not in out and key.read_bytes().decode() not in out
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    bundle = tmp_path / "m.bin"
    assert main(["bundle", str(model), "--key", str(key), "--version", "2.0.1",
                 "--counter", "3", "-o", str(bundle)]) == 0
    assert "counter 3" in capsys.readouterr().out
    assert main(["bundle", "inspect", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "version: 2.0.1+0" in out and "security counter: 3" in out and "NOT verified" in out
    assert main(["bundle", "verify", str(bundle), "--pubkey",
                 str(tmp_path / "k" / "signing.pub")]) == 0
    assert capsys.readouterr().out.startswith("OK:")
    # a tampered payload byte: refused in one line, exit 2
    data = bytearray(bundle.read_bytes())
    data[40] ^= 1
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(data))
    assert main(["bundle", "verify", str(bad), "--pubkey",
                 str(tmp_path / "k" / "signing.pub")]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "invalid hash" in err
    # another key
    assert main(["keys", "generate", "-o", str(tmp_path / "other")]) == 0
    capsys.readouterr()
    assert main(["bundle", "verify", str(bundle), "--pubkey",
                 str(tmp_path / "other" / "signing.pub")]) == 2
    _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("args", [
    ["bundle", "inspect", "missing.bin"],
    ["bundle", "inspect"],
    ["bundle", "verify", "missing.bin"],
    ["bundle", "model.tflite", "--version", "1.0.0"],
    ["bundle", "missing.tflite", "--key", "k", "--version", "1", "--counter", "1", "-o", "b"],
])
def test_usage_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    _one_line_error(capsys.readouterr().err)


def test_inspect_of_a_file_that_is_not_a_bundle(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00" * 100)
    assert main(["bundle", "inspect", str(junk)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "not a bundle" in err


@pytest.mark.slow
def test_verify_bundle_runs_the_update_flow_on_the_m4(shared_data: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("needs arm-none-eabi-gcc (make toolchain)")
    model = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    assert main(["keys", "generate", "-o", str(tmp_path / "k")]) == 0
    bundle = tmp_path / "m.bin"
    assert main(["bundle", str(model), "--key", str(tmp_path / "k" / "signing.key"),
                 "--version", "1.0.0", "--counter", "4", "-o", str(bundle)]) == 0
    capsys.readouterr()
    pub = str(tmp_path / "k" / "signing.pub")
    assert main(["verify", "--bundle", str(bundle), "-b", "nucleo_l4r5zi", "--pubkey", pub]) == 0
    out = capsys.readouterr().out
    assert "verify ok" in out and "canaries ok" in out
    # the device's counter is above the bundle's: refused, exit 1
    assert main(["verify", "--bundle", str(bundle), "-b", "nucleo_l4r5zi", "--pubkey", pub,
                 "--min-counter", "5"]) == 1
    assert "rollback" in capsys.readouterr().err


def test_bundle_of_a_project_signs_its_int8_model(shared_data: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from tests.measure.project_fixture import fake_run_outputs, write_project

    toml = write_project(tmp_path / "proj")
    run = fake_run_outputs(toml)
    model = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    shutil.copy(model, run / "model_int8.tflite")  # stands for the trained model
    assert main(["keys", "generate", "-o", str(tmp_path / "k")]) == 0
    bundle = tmp_path / "p.bin"
    assert main(["bundle", str(toml.parent), "--key", str(tmp_path / "k" / "signing.key"),
                 "--version", "1.0.0", "--counter", "1", "-o", str(bundle)]) == 0
    capsys.readouterr()
    from microforge.ota.inspect import summarize

    assert summarize(bundle).payload_size == model.stat().st_size


def test_bundle_of_a_truncated_model_names_the_file(shared_data: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "cut.tflite"
    model.write_bytes((shared_data / "models/tflm_hello_world/hello_world_int8.tflite")
                      .read_bytes()[:200])
    assert main(["keys", "generate", "-o", str(tmp_path / "k")]) == 0
    capsys.readouterr()
    out = tmp_path / "b.bin"
    assert main(["bundle", str(model), "--key", str(tmp_path / "k" / "signing.key"),
                 "--version", "1.0.0", "--counter", "1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert f"{model}: corrupt or truncated" in err and not out.exists()
