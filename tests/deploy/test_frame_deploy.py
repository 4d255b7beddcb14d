"""`deploy PROJECT` of a detector (FOMO) project: its frame library (camera frame -> image
block -> int8 model -> centroids in camera-frame pixels) in every format, built with strict
warnings and run: the test images as 64x64 camera frames in -> the example prints the Python
twin's objects (label, frame x, frame y, int8 score) on every frame. And `profile PROJECT` of
the detector on two emulated cores. A tiny project trained here (4 epochs, a validation scene
for early stopping, ~20 s)."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from microforge.deploy import deploy_project
from tests.data.images import detection_set
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

pytestmark = pytest.mark.slow

BOARD = "stm32f746g_disco"
PROJECT = """
[project]
name = "cam"
[dataset]
path = "data"
[split]
val_fraction = 0.25   # one scene of four: FOMO's early stopping watches its loss
[dsp]
block = "image"
[dsp.params]
width = 48
height = 48
frame_format = "grayscale"
fit = "stretch"
[model]
architecture = "fomo"
dropout = 0.0
[training]
epochs = 4
early_stopping_patience = 2
batch_size = 16
learning_rate = 0.01
[detection]
threshold = 0.05
[target]
board = "stm32f746g_disco"
compare = []
"""


class Detector:
    """The trained project, its test images as camera frames and the Python twin's objects."""

    def __init__(self, root: Path) -> None:
        from rich.console import Console

        from microforge.library.frame_assemble import frame_twin
        from microforge.measure.frame_verify import project_frames
        from microforge.project import Project
        from microforge.workspace.data import ProjectData
        from microforge.workspace.trained import load_trained

        detection_set(root / "data", n_images=48, size=64)
        self.toml = root / "microforge.toml"
        self.toml.write_text(PROJECT)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("MICROFORGE_REPORT_PROFILE", "0")  # the run's QEMU sections
            Project.from_toml(self.toml).run()
        self.report = json.loads((root / "build" / "cam" / "report.json").read_text())
        self.trained = load_trained(self.toml)
        self.twin = frame_twin(self.trained)
        data = ProjectData.from_toml(self.toml, Console(quiet=True))
        self.frames, _, _, _ = project_frames(data, self.trained.block, None)

    def objects(self, frame: bytes) -> list[tuple[int, str, int, int, int]]:
        return [(o.label, self.trained.labels[o.label], o.frame_x, o.frame_y, int(o.score))
                for o in self.twin.detect(frame)]


@pytest.fixture(scope="module")
def detector(tmp_path_factory, tf, tflm) -> Detector:
    return Detector(tmp_path_factory.mktemp("cam"))


def test_fomo_training_kept_the_best_validation_epoch(detector: Detector) -> None:
    training = detector.report["detection"]["final"]["training"]
    assert training["watched"] == "val_loss" and training["validation_images"] == 12
    assert 1 <= training["best_epoch"] <= training["epochs_run"] <= 4
    assert training["kept_loss"] > 0


def _printed(stdout: str) -> list[list[tuple[int, str, int, int, int]]]:
    """The example's lines: `frame i objects n`, then `object label name x X y Y score S`."""
    frames: list[list[tuple[int, str, int, int, int]]] = []
    for line in stdout.splitlines():
        words = line.split()
        if words[0] == "frame":
            assert int(words[1]) == len(frames)
            frames.append([])
        else:
            assert words[0] == "object" and words[3] == "x" and words[5] == "y"
            frames[-1].append((int(words[1]), words[2], int(words[4]), int(words[6]),
                               int(words[8])))
    return frames


def _compare(detector: Detector, exe: Path) -> int:
    done = subprocess.run([str(exe)], input=b"".join(detector.frames), capture_output=True,
                          check=True)
    printed = _printed(done.stdout.decode())
    expected = [detector.objects(f) for f in detector.frames]
    assert printed == expected
    found = sum(len(f) for f in expected)
    assert found > 0  # some objects, so the coordinates were compared
    return found


def test_c_package_camera_frames_give_the_python_centroids(detector: Detector,
                                                           tmp_path: Path, capsys) -> None:
    out = tmp_path / "c"
    result = deploy_project(detector.toml, BOARD, "c", out)
    for f in ("cam_frame.h", "cam_frame.c", "mf_cam_dsp.c", "cam.c", "mf_fomo.c",
              "example/main.c", "README.md", "microforge_deploy.json"):
        assert (out / f).is_file(), f
    readme = (out / "README.md").read_text()
    assert "64x64 grayscale" in readme and "camera frame's pixels" in readme
    assert "mf_cam_detect_frame" in readme
    manifest = json.loads((out / "microforge_deploy.json").read_text())
    assert manifest["detector"] and manifest["frame"] == {"format": "grayscale", "width": 64,
                                                          "height": 64, "bytes": 4096}
    assert result.detector and result.library_flash_bytes > 0 and result.library_ram_bytes > 0
    exe = tmp_path / "example"
    run([need("gcc"), *STRICT, "-O2", f"-I{out}", *sorted(out.glob("*.c")),
         out / "example/main.c", "-o", exe, "-lm"])
    found = _compare(detector, exe)
    with capsys.disabled():
        print(f"\ndeploy c (detector): {len(detector.frames)} test frames, {found} objects, C "
              f"example == Python twin (frame pixels); library "
              f"{result.library_flash_bytes:,} B flash, {result.library_ram_bytes:,} B RAM "
              f"({result.size_target})")


def test_c_package_builds_for_the_cortex_m7(detector: Detector, tmp_path: Path) -> None:
    out = tmp_path / "c"
    deploy_project(detector.toml, BOARD, "c", out, name="cam_m7")
    cc = need("arm-none-eabi-gcc")
    flags = board_flags(BOARD)
    objects = compile_objects(cc, sorted(out.glob("*.c")) + [out / "example/main.c"], [out],
                              flags, tmp_path / "obj")
    elf = tmp_path / "example.elf"
    run([cc, *flags, *arm_link_flags(), *objects, "-o", elf, "-lm"])
    symbols = run([need("arm-none-eabi-nm"), elf])
    for symbol in ("mf_cam_m7_detect_frame", "mf_cam_m7_invoke", "mf_cam_m7_dsp_frame_input",
                   "mf_fomo_to_frame", "main"):
        assert f" T {symbol}" in symbols, symbol


def test_cmake_package_host_example_and_cross_build(detector: Detector, tmp_path: Path) -> None:
    cmake = need("cmake")
    pkg = tmp_path / "pkg"
    deploy_project(detector.toml, BOARD, "cmake", pkg)
    build = tmp_path / "build"
    run([cmake, "-S", pkg, "-B", build, "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror -pedantic"])
    run([cmake, "--build", build])
    _compare(detector, build / "cam_example")
    toolchain = arm_toolchain_file(tmp_path / "arm.cmake", board_flags(BOARD))
    arm = tmp_path / "arm"
    run([cmake, "-S", pkg, "-B", arm, f"-DCMAKE_TOOLCHAIN_FILE={toolchain}",
         "-DCMAKE_BUILD_TYPE=Release"])
    run([cmake, "--build", arm])
    assert (arm / "libmf_cam.a").is_file() and (arm / "cam_example").is_file()


def _stub_frame(n: int, size: int) -> bytes:
    """The sketch's read_camera() stub: byte i of frame n = (7 i + 13 n) mod 256."""
    return ((np.arange(size) * 7 + n * 13) & 0xFF).astype(np.uint8).tobytes()


def test_arduino_library_on_the_stub_core_gives_the_python_centroids(detector: Detector,
                                                                     tmp_path: Path) -> None:
    """The sketch built with g++ against tests' minimal Arduino.h and run for 6 loop()s: its
    printed objects equal the twin's on the stub camera's frames; and built with
    arm-none-eabi-g++ for the board."""
    result = deploy_project(detector.toml, BOARD, "arduino", tmp_path / "ard")
    with zipfile.ZipFile(result.artifact) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "unzipped")
    assert result.zip_files == len(names)
    (lib,) = [p for p in (tmp_path / "unzipped").iterdir() if p.is_dir()]
    (sketch,) = (lib / "examples").glob("*/*.ino")
    loops = 6
    cxx_flags = ["-x", "c++", "-Wall", "-Wextra", "-Werror", f"-DMF_TEST_LOOPS={loops}"]
    objects = compile_objects(need("gcc"), sorted((lib / "src").glob("*.c")), [lib / "src"], [],
                              tmp_path / "obj")
    objects += compile_objects(need("g++"), [sketch, STUB_DIR / "arduino_stream_main.cpp"],
                               [lib / "src", STUB_DIR], cxx_flags, tmp_path / "obj_cxx")
    exe = tmp_path / "sketch"
    run([need("g++"), *objects, "-o", exe, "-lm"])
    printed = run([exe]).splitlines()
    expected = []
    for n in range(loops):
        objs = detector.twin.detect(_stub_frame(n, 4096))
        expected.append(f"frame {n} objects {len(objs)}")
        expected += [f"object {detector.trained.labels[o.label]} x {o.frame_x} y {o.frame_y}"
                     for o in objs]
    assert printed == expected
    flags = board_flags(BOARD)
    arm_objects = compile_objects(need("arm-none-eabi-gcc"), sorted((lib / "src").glob("*.c")),
                                  [lib / "src"], flags, tmp_path / "arm")
    arm_objects += compile_objects(
        need("arm-none-eabi-g++"), [sketch, STUB_DIR / "arduino_main.cpp"],
        [lib / "src", STUB_DIR], [*flags, "-x", "c++", "-std=gnu++11", "-fno-exceptions",
                                  "-fno-rtti", "-Wall", "-Wextra", "-Werror"], tmp_path / "arm_cxx")
    run([need("arm-none-eabi-g++"), *flags, *arm_link_flags(), *arm_objects, "-o",
         tmp_path / "sketch.elf", "-lm"])


def test_deploy_command_on_a_detector(detector: Detector, tmp_path: Path, capsys) -> None:
    out = tmp_path / "c"
    assert main(["deploy", str(detector.toml), "-o", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "image block, FOMO model, centroids" in printed
    assert "camera frames in, centroids (camera-frame pixels) out" in printed
    assert main(["deploy", str(detector.toml), "-o", str(tmp_path / "o"), "--ota", "--pubkey",
                 str(tmp_path / "k.pub")]) == 2
    err = capsys.readouterr().err
    assert "--ota is not available for a detector" in err and "Traceback" not in err


def test_profile_of_a_detector_on_two_cores(detector: Detector, tmp_path: Path,
                                            capsys) -> None:
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    out = tmp_path / "profile.json"
    assert main(["profile", str(detector.toml), "--board", BOARD, "--json", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "frame library on 1 board(s)" in printed and "instructions per camera frame" in printed
    from microforge.measure.frame_profile import profile_frame_project
    from microforge.targets.boards import load_board

    rows = profile_frame_project(detector.toml, [load_board(BOARD), load_board("nucleo_l4r5zi")])
    saved = json.loads(out.read_text())
    assert saved["unit"] == "camera frame" and saved["rows"][0]["board_id"] == BOARD
    for row in rows:
        assert row.fits and not row.estimate, row.method
        assert row.dsp_instructions > 10_000 and row.network_instructions > 100_000
        assert row.part_ram["network"] > 0 and row.part_flash["dsp"] > 0
        assert row.ram_bytes > row.part_ram["network"] + 4096  # + the frame buffer
    m7, m4 = rows
    assert saved["rows"][0]["network_instructions"] == m7.network_instructions
    assert m7.core != m4.core
    with capsys.disabled():
        for row in rows:
            print(f"\nprofile (detector, 64x64 grayscale frame -> 48x48): {row.board_id} "
                  f"({row.core}): image block {row.dsp_instructions:,}, model "
                  f"{row.network_instructions:,} instructions per frame; "
                  f"{row.latency_ms('total'):.2f} ms; firmware {row.flash_bytes:,} B flash, "
                  f"{row.ram_bytes:,} B RAM")
