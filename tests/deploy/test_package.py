"""deploy_model: the three layouts, labels, fit and folder safety; the C example runs on the host."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from microforge.deploy import deploy_model
from microforge.errors import BoardFitError, ConfigError, ModelError
from tests.deploy.builders import STRICT, need, run

HELLO = "models/tflm_hello_world/hello_world_int8.tflite"
KWS = "models/mlperf_kws/kws_ref_model.tflite"


def _copy_model(shared_data: Path, relative: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(shared_data / relative, folder / Path(relative).name))


def _host_run_c_library(lib: Path, tmp: Path) -> str:
    gcc = need("gcc")
    exe = tmp / "example_app"
    run([gcc, *STRICT, "-O2", f"-I{lib}", *sorted(lib.glob("*.c")), lib / "example/main.c",
         "-o", exe, "-lm"])
    return run([exe])


def test_c_library_layout_and_host_run(shared_data: Path, tmp_path: Path) -> None:
    result = deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "c", tmp_path / "out", "hw")
    out = tmp_path / "out"
    assert result.artifact == out / "." and result.labels_file is None
    for name in ("hw.c", "hw.h", "hw_labels.c", "hw_labels.h", "mf_common.h", "README.md",
                 "example/main.c", "microforge_deploy.json"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "microforge_deploy.json").read_text())
    assert manifest["board"] == "nucleo_l4r5zi" and manifest["format"] == "c"
    readme = (out / "README.md").read_text()
    assert "int mf_hw_invoke(const int8_t *input0, int8_t *output0);" in readme
    assert "-mcpu=cortex-m4" in readme and f"{result.arena_bytes:,} B" in readme
    assert _host_run_c_library(out, tmp_path) == "label: class 0\n"


def test_labels_json_beside_the_model_names_the_classes(shared_data: Path, tmp_path: Path) -> None:
    model = _copy_model(shared_data, KWS, tmp_path / "run")
    names = [f"word {i}" for i in range(10)] + ['odd "quote" \\ ??=', "unknown"]
    (model.parent / "labels.json").write_text(json.dumps(names), encoding="utf-8")
    result = deploy_model(model, "arduino_nano_33_ble_sense", "c", tmp_path / "out", "kws")
    assert result.labels_file == model.parent / "labels.json"
    printed = _host_run_c_library(tmp_path / "out", tmp_path)
    assert printed.startswith("label: ") and printed[len("label: "):-1] in names


def test_labels_json_of_the_wrong_length_is_a_config_error(shared_data: Path,
                                                          tmp_path: Path) -> None:
    model = _copy_model(shared_data, HELLO, tmp_path / "run")
    (model.parent / "labels.json").write_text('["a", "b"]', encoding="utf-8")
    with pytest.raises(ConfigError, match="2 class names but the model's output 0 has 1"):
        deploy_model(model, "nucleo_l4r5zi", "c", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_arduino_zip_layout(shared_data: Path, tmp_path: Path) -> None:
    result = deploy_model(shared_data / HELLO, "arduino_nano_33_ble_sense", "arduino",
                          tmp_path / "out", "hw")
    assert result.artifact == tmp_path / "out" / "microforge_hw.zip"
    names = set(zipfile.ZipFile(result.artifact).namelist())
    root = "microforge_hw/"
    for name in ("library.properties", "src/hw.c", "src/hw.h", "src/hw_labels.c",
                 "examples/hw_inference/hw_inference.ino", "README.md"):
        assert root + name in names, name
    props = zipfile.ZipFile(result.artifact).read(root + "library.properties").decode()
    assert "name=microforge_hw\n" in props and "architectures=*" in props


def test_cmake_layout_lists_every_source(shared_data: Path, tmp_path: Path) -> None:
    deploy_model(shared_data / HELLO, "stm32f746g_disco", "cmake", tmp_path / "out", "hw")
    out = tmp_path / "out"
    cmake = (out / "CMakeLists.txt").read_text()
    for source in sorted((out / "src").glob("*.c")):
        assert f"src/{source.name}" in cmake
    assert "add_library(mf_hw STATIC" in cmake and "add_executable(hw_example" in cmake


def test_user_folder_is_not_overwritten_but_a_deploy_is_replaced(shared_data: Path,
                                                                tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a microforge deploy output"):
        deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "c", mine, "hw")
    assert (mine / "notes.txt").read_text() == "keep me"
    out = tmp_path / "out"
    deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "c", out, "hw")
    deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "cmake", out, "hw")
    assert (out / "CMakeLists.txt").is_file() and not (out / "hw.c").exists()


def test_bad_inputs_are_one_line_user_errors(shared_data: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown format 'zip'; choose one of c, arduino"):
        deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "zip", tmp_path / "o")
    with pytest.raises(ConfigError, match="unknown board 'nope'"):
        deploy_model(shared_data / HELLO, "nope", "c", tmp_path / "o")
    with pytest.raises(ModelError, match="no such model file"):
        deploy_model(tmp_path / "missing.tflite", "nucleo_l4r5zi", "c", tmp_path / "o")
    with pytest.raises(ConfigError, match="not a C identifier"):
        deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "c", tmp_path / "o", "1x")
    assert not (tmp_path / "o").exists()


def test_model_too_big_for_the_board(shared_data: Path, tmp_path: Path) -> None:
    model = shared_data / "models/mlperf_ic/pretrainedResnet_quant.tflite"
    with pytest.raises(BoardFitError, match=r"needs [\d.]+ KB RAM .*board stm32f103c8_bluepill "
                                            r"has 20 KB"):
        deploy_model(model, "stm32f103c8_bluepill", "c", tmp_path / "o", "ic")
    assert not (tmp_path / "o").exists()


def test_bare_model_package_says_the_input_must_be_preprocessed(shared_data: Path,
                                                               tmp_path: Path) -> None:
    import numpy as np

    from microforge.dsp import make_block

    result = deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "c", tmp_path / "plain", "hw")
    readme = (tmp_path / "plain/README.md").read_text()
    assert result.preprocessing_file is None
    assert "The input must be preprocessed" in readme and "No `dsp.json`" in readme
    assert "exactly as in training" not in readme
    model = _copy_model(shared_data, HELLO, tmp_path / "run")
    x = np.random.default_rng(0).normal(3.0, 2.0, (8, 1, 1)).astype(np.float32)
    block = make_block("raw", {"normalize": True}).fit(x, 50.0)
    (model.parent / "dsp.json").write_text(json.dumps({"block": "raw",
                                                       "state": block.state_dict()}))
    result = deploy_model(model, "nucleo_l4r5zi", "arduino", tmp_path / "ard", "hw")
    assert result.preprocessing_file == model.parent / "dsp.json"
    mean, std = (f"{float(block.tables()[k][0]):.9g}" for k in ("feature_mean", "feature_std"))
    with zipfile.ZipFile(result.artifact) as archive:
        sketch = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".ino"))
        assert result.zip_files == len(archive.namelist())
    readme = (tmp_path / "ard/README.md").read_text()
    for text in (readme, sketch):
        assert f"feature_mean: [{mean}]" in text and f"feature_std: [{std}]" in text
    assert "microforge deploy PROJECT" in readme and "NO preprocessing" in sketch


def test_deploy_of_an_untrained_project_is_one_line(tmp_path: Path, capsys) -> None:
    from microforge.cli import main
    from tests.measure.project_fixture import write_project

    toml = write_project(tmp_path / "p")
    assert main(["deploy", str(toml.parent), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "not trained" in err and "microforge run" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["deploy", str(tmp_path / "m.tflite"), "-o", str(tmp_path / "o")]) == 2
    assert "--board" in capsys.readouterr().err
