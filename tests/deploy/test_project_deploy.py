"""`deploy PROJECT`: the whole pipeline (fitted DSP, int8 model, post-processing, streaming API,
mf_<name>_classify) in every format, built and run: raw test samples in -> the same labels as
the Python pipeline (StreamingPipeline + TFLM). A tiny project trained here (~30 s)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from microforge.deploy import deploy_project
from microforge.postprocess import PostprocessParams, StreamingPipeline
from microforge.runners.model_runners import TflmRunner
from microforge.workspace.trained import load_trained
from tests.deploy.builders import (
    STRICT,
    STUB_DIR,
    arm_link_flags,
    arm_toolchain_file,
    board_flags,
    compile_objects,
    need,
    run,
)
from tests.measure.project_fixture import BOARD, train_project

pytestmark = pytest.mark.slow  # trains a project (~30 s), then builds with gcc/cmake


class Trained:
    def __init__(self, root: Path) -> None:
        from microforge.project import Project

        self.toml = train_project(root)
        self.trained = load_trained(self.toml)
        t = self.trained
        self.python = StreamingPipeline(t.block, TflmRunner(t.model_bytes), t.labels, t.stride,
                                        t.postprocess)
        project = Project.from_toml(self.toml)
        dataset, windows = project.load()
        test = np.unique(windows.recording[project.final_fold().mask("test")])
        self.recordings = [np.asarray(dataset.recordings[i].signal, np.float32) for i in test]
        assert self.recordings

    def python_labels(self, signal: np.ndarray) -> list[str]:
        self.python.reset()
        return [self.trained.labels[d.label] for d in self.python.push(signal)]

    def python_decisions(self, signal: np.ndarray) -> list[tuple[str, str]]:
        """(label, score printed as the example prints it) per window."""
        self.python.reset()
        return [(self.trained.labels[d.label], f"{float(d.score):.6f}")
                for d in self.python.push(signal)]

    def python_single_window_labels(self, signal: np.ndarray) -> list[str]:
        """Consecutive non-overlapping windows, each on its own (k = 1, no suppression)."""
        t = self.trained
        single = PostprocessParams(t.postprocess.mode, 1, t.postprocess.threshold, 0.0,
                                   t.postprocess.ignore_labels)
        pipeline = StreamingPipeline(t.block, TflmRunner(t.model_bytes), t.labels,
                                     t.block.win_len, single)
        return [t.labels[d.label] for d in pipeline.push(signal)]


@pytest.fixture(scope="module")
def project(tmp_path_factory, tf, tflm) -> Trained:
    return Trained(tmp_path_factory.mktemp("tiny"))


def _samples(signal: np.ndarray, path: Path) -> Path:
    np.savetxt(path, signal, fmt="%.9g", delimiter=",")
    return path


def _example_labels(exe: Path, samples: Path, *args: str) -> list[str]:
    import subprocess

    with samples.open() as stdin:
        done = subprocess.run([str(exe), *args], stdin=stdin, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no line skipped
    return [line.split()[6] for line in done.stdout.splitlines()]


def _example_decisions(exe: Path, samples: Path) -> list[tuple[str, str]]:
    import subprocess

    with samples.open() as stdin:
        done = subprocess.run([str(exe)], stdin=stdin, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [(line.split()[6], line.split()[8]) for line in done.stdout.splitlines()]


def _compare_example(project: Trained, exe: Path, tmp: Path) -> int:
    windows = 0
    for i, signal in enumerate(project.recordings):
        samples = _samples(signal, tmp / f"rec{i}.csv")
        labels = _example_labels(exe, samples)
        assert labels == project.python_labels(signal)
        assert _example_decisions(exe, samples) == project.python_decisions(signal)
        assert _example_labels(exe, samples, "classify") == \
            project.python_single_window_labels(signal)
        windows += len(labels)
    assert windows >= len(project.recordings)
    return windows


def test_c_package_raw_samples_give_the_python_labels(project: Trained, tmp_path: Path,
                                                      capsys) -> None:
    out = tmp_path / "c"
    result = deploy_project(project.toml, BOARD, "c", out)
    name = project.trained.name
    for f in (f"{name}_pipeline.h", f"{name}_pipeline.c", f"mf_{name}_dsp.c", f"{name}.c",
              "mf_postprocess.c", "example/main.c", "README.md", "microforge_deploy.json"):
        assert (out / f).is_file(), f
    readme = (out / "README.md").read_text()
    mean = project.trained.block.tables()["feature_mean"]
    assert f"{float(mean[0]):.9g}" in readme and "whole pipeline" in readme
    assert f"mf_{name}_classify" in readme
    manifest = json.loads((out / "microforge_deploy.json").read_text())
    assert manifest["whole_pipeline"] and manifest["library_flash_bytes"] == \
        result.library_flash_bytes > 0
    exe = tmp_path / "example"
    run([need("gcc"), *STRICT, "-O2", f"-I{out}", *sorted(out.glob("*.c")),
         out / "example/main.c", "-o", exe, "-lm"])
    windows = _compare_example(project, exe, tmp_path)
    with capsys.disabled():
        print(f"\ndeploy c: {windows} test windows of {len(project.recordings)} recordings, "
              f"C example == Python on all; library {result.library_flash_bytes:,} B flash, "
              f"{result.library_ram_bytes:,} B RAM ({result.size_target})")


def test_c_package_builds_for_the_cortex_m4(project: Trained, tmp_path: Path) -> None:
    out = tmp_path / "c"
    deploy_project(project.toml, BOARD, "c", out, name="tiny_m4")
    cc = need("arm-none-eabi-gcc")
    flags = board_flags(BOARD)
    objects = compile_objects(cc, sorted(out.glob("*.c")) + [out / "example/main.c"], [out],
                              flags, tmp_path / "obj")
    elf = tmp_path / "example.elf"
    run([cc, *flags, *arm_link_flags(), *objects, "-o", elf, "-lm"])
    symbols = run([need("arm-none-eabi-nm"), elf])
    for symbol in ("mf_tiny_m4_pipeline_push_f32", "mf_tiny_m4_classify", "mf_tiny_m4_invoke",
                   "mf_tiny_m4_dsp_features"):
        assert f" T {symbol}" in symbols, symbol


def test_cmake_package_host_example_and_cross_build(project: Trained, tmp_path: Path) -> None:
    cmake = need("cmake")
    pkg = tmp_path / "pkg"
    deploy_project(project.toml, BOARD, "cmake", pkg)
    name = project.trained.name
    build = tmp_path / "build"
    run([cmake, "-S", pkg, "-B", build, "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror -pedantic"])
    run([cmake, "--build", build])
    _compare_example(project, build / f"{name}_example", tmp_path)
    toolchain = arm_toolchain_file(tmp_path / "arm.cmake", board_flags(BOARD))
    arm = tmp_path / "arm"
    run([cmake, "-S", pkg, "-B", arm, f"-DCMAKE_TOOLCHAIN_FILE={toolchain}",
         "-DCMAKE_BUILD_TYPE=Release"])
    run([cmake, "--build", arm])
    assert (arm / f"libmf_{name}.a").is_file() and (arm / f"{name}_example").is_file()


def _stub_signal(frames: int, channels: int) -> np.ndarray:
    """The sketch's read_sensor() stub, frame by frame."""
    n = np.arange(frames)[:, None] + 16 * np.arange(channels)[None, :]
    phase = n % 64
    return (np.where(phase < 32, phase - 16, 48 - phase) / 16.0).astype(np.float32)


def test_arduino_library_on_the_stub_core_gives_the_python_labels(project: Trained,
                                                                  tmp_path: Path) -> None:
    """The sketch (library + examples/<sketch>.ino) built with g++ against tests' minimal
    Arduino.h (no Arduino core is installable from PyPI or Debian for Arm boards), and with
    arm-none-eabi-g++ for the board; run on the host, its stub sensor's labels equal Python's."""
    result = deploy_project(project.toml, BOARD, "arduino", tmp_path / "ard")
    with zipfile.ZipFile(result.artifact) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "unzipped")
    assert result.zip_files == len(names)
    (lib,) = [p for p in (tmp_path / "unzipped").iterdir() if p.is_dir()]
    (sketch,) = (lib / "examples").glob("*/*.ino")
    frames = 6 * project.trained.block.win_len
    cxx_flags = ["-x", "c++", "-Wall", "-Wextra", "-Werror", f"-DMF_TEST_LOOPS={frames}"]
    objects = compile_objects(need("gcc"), sorted((lib / "src").glob("*.c")), [lib / "src"], [],
                              tmp_path / "obj")
    objects += compile_objects(need("g++"), [sketch, STUB_DIR / "arduino_stream_main.cpp"],
                               [lib / "src", STUB_DIR], cxx_flags, tmp_path / "obj_cxx")
    exe = tmp_path / "sketch"
    run([need("g++"), *objects, "-o", exe, "-lm"])
    printed = [line.split()[3] for line in run([exe]).splitlines()]
    signal = _stub_signal(frames, project.trained.block.n_channels)
    assert printed == project.python_labels(signal) and len(printed) > 3
    # and for the board's core
    flags = board_flags(BOARD)
    arm_objects = compile_objects(need("arm-none-eabi-gcc"), sorted((lib / "src").glob("*.c")),
                                  [lib / "src"], flags, tmp_path / "arm")
    arm_objects += compile_objects(
        need("arm-none-eabi-g++"), [sketch, STUB_DIR / "arduino_main.cpp"],
        [lib / "src", STUB_DIR], [*flags, "-x", "c++", "-std=gnu++11", "-fno-exceptions",
                                  "-fno-rtti", "-Wall", "-Wextra", "-Werror"], tmp_path / "arm_cxx")
    run([need("arm-none-eabi-g++"), *flags, *arm_link_flags(), *arm_objects, "-o",
         tmp_path / "sketch.elf", "-lm"])


def test_deploy_command_on_a_project(project: Trained, tmp_path: Path, capsys) -> None:
    out = tmp_path / "zip"
    assert main(["deploy", str(project.toml), "--format", "arduino", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    (zip_path,) = out.glob("*.zip")
    with zipfile.ZipFile(zip_path) as archive:
        count = len(archive.namelist())
    assert f"{count} files in the zip" in printed and "whole pipeline" in printed
    assert BOARD in printed or "Nucleo" in printed


def test_project_with_ota_runs_the_slot_example(project: Trained, tmp_path: Path) -> None:
    """deploy PROJECT --ota: the update library for the pipeline's model and
    example/ota_main.c, whose host build installs a bundle of the project's model, boots it
    (canaries on the pipeline's compiled model) and runs it as TFLM does."""
    import subprocess

    from microforge.ota.bundle import (
        DEFAULT_CLASS,
        DEFAULT_VENDOR,
        class_uuid,
        make_bundle,
        vendor_uuid,
    )
    from microforge.ota.deploy import OtaOptions
    from microforge.ota.keys import generate_keys
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    private, public = generate_keys(tmp_path / "keys")
    options = OtaOptions([public], vendor_uuid(DEFAULT_VENDOR),
                         class_uuid(DEFAULT_VENDOR, DEFAULT_CLASS))
    out = tmp_path / "c"
    deploy_project(project.toml, BOARD, "c", out, ota=options)
    name = project.trained.name
    for f in ("mf_ota.h", "mf_ota_slots.c", f"mf_{name}_ota_policy.c", "example/ota_main.c"):
        assert (out / f).is_file(), f
    model = tmp_path / "model.tflite"
    model.write_bytes(project.trained.model_bytes)
    bundle = tmp_path / "b.bin"
    make_bundle(model, private, "1.0.0", 4, bundle)
    exe = tmp_path / "ota_example"
    run([need("gcc"), *STRICT, "-DMF_OTA_EXAMPLE_HOST", f"-I{out}", out / "example/ota_main.c",
         *sorted(out.glob("*.c")), "-o", exe, "-lm"])
    done = subprocess.run([str(exe), str(bundle)], capture_output=True, text=True, check=True)
    interp = tflm_interpreter(project.trained.model_bytes)
    zeros = np.zeros(interp.get_input_details(0)["shape"], np.int8)
    first = int(run_tflm(project.trained.model_bytes, [zeros], interp)[0].reshape(-1)[0])
    assert done.stdout.split() == ["0", "0", "0", "4", str(first)]
