"""Every deploy format is built: C and CMake with arm-none-eabi-gcc for the board's core, the
Arduino library with arm-none-eabi-gcc/g++ against a minimal Arduino.h stub; the host builds
run the examples."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from microforge.deploy import deploy_model
from microforge.runners.tflm import run_tflm
from tests.deploy.builders import (
    STUB_DIR,
    arm_link_flags,
    arm_toolchain_file,
    board_flags,
    compile_objects,
    need,
    run,
)

HELLO = "models/tflm_hello_world/hello_world_int8.tflite"
KWS = "models/mlperf_kws/kws_ref_model.tflite"
MAGIC_WAND = "models/tflm_magic_wand/magic_wand.tflite"
HELLO_FLOAT = "models/tflm_hello_world/hello_world_float.tflite"
AD_INT8 = "models/mlperf_ad/ad01_int8.tflite"
FAST = [(HELLO, "nucleo_l4r5zi")]
SLOW = [(KWS, "stm32f746g_disco"), (KWS, "raspberry_pi_pico"), (MAGIC_WAND, "b_u585i_iot02a"),
        (HELLO_FLOAT, "stm32f103c8_bluepill"), (AD_INT8, "sparkfun_edge")]
CASES = FAST + [pytest.param(*case, marks=pytest.mark.slow) for case in SLOW]


def _build_c_for_board(lib: Path, example: Path, board_id: str, tmp: Path) -> Path:
    cc = need("arm-none-eabi-gcc")
    flags = board_flags(board_id)
    objects = compile_objects(cc, sorted(lib.glob("*.c")) + [example], [lib], flags, tmp / "obj")
    elf = tmp / "example.elf"
    run([cc, *flags, *arm_link_flags(), *objects, "-o", elf, "-lm"])
    return elf


@pytest.mark.parametrize(("model", "board_id"), CASES)
def test_c_library_builds_for_the_board(shared_data: Path, tmp_path: Path, model: str,
                                        board_id: str) -> None:
    out = tmp_path / "c"
    deploy_model(shared_data / model, board_id, "c", out, "m")
    elf = _build_c_for_board(out, out / "example/main.c", board_id, tmp_path)
    symbols = run([need("arm-none-eabi-nm"), elf])
    assert " T mf_m_invoke" in symbols and " T mf_m_top_label" in symbols


@pytest.mark.slow
def test_c_library_builds_for_rv32imc(shared_data: Path, tmp_path: Path) -> None:
    cc = need("riscv64-unknown-elf-gcc")
    out = tmp_path / "c"
    deploy_model(shared_data / KWS, "esp32_c3", "c", out, "kws")
    objects = compile_objects(cc, sorted(out.glob("*.c")) + [out / "example/main.c"], [out],
                              [*board_flags("esp32_c3"), "--specs=picolibc.specs"],
                              tmp_path / "obj")
    assert len(objects) == len(list(out.glob("*.c"))) + 1


@pytest.mark.parametrize(("model", "board_id"), CASES)
def test_cmake_package_builds_for_the_board(shared_data: Path, tmp_path: Path, model: str,
                                            board_id: str) -> None:
    cmake = need("cmake")
    pkg = tmp_path / "pkg"
    deploy_model(shared_data / model, board_id, "cmake", pkg, "m")
    toolchain = arm_toolchain_file(tmp_path / "arm.cmake", board_flags(board_id))
    build = tmp_path / "build"
    run([cmake, "-S", pkg, "-B", build, f"-DCMAKE_TOOLCHAIN_FILE={toolchain}",
         "-DCMAKE_BUILD_TYPE=Release"])
    run([cmake, "--build", build])
    assert (build / "libmf_m.a").is_file() and (build / "m_example").is_file()


def test_cmake_package_with_add_subdirectory_on_the_host(shared_data: Path,
                                                        tmp_path: Path) -> None:
    cmake = need("cmake")
    need("gcc")
    app = tmp_path / "app"
    deploy_model(shared_data / HELLO, "nucleo_l4r5zi", "cmake", app / "third_party/hw", "hw")
    (app / "main.c").write_text(
        '#include <stdio.h>\n#include "hw.h"\n#include "hw_labels.h"\n'
        "int main(void) {\n    int8_t in[1] = {0};\n    int8_t out[1];\n"
        "    if (mf_hw_invoke(in, out) != 0) {\n        return 1;\n    }\n"
        '    printf("%s %d\\n", mf_hw_label_name(mf_hw_top_label(out)), out[0]);\n'
        "    return 0;\n}\n", encoding="utf-8")
    (app / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.13)\nproject(app C)\n"
        "add_subdirectory(third_party/hw)\nadd_executable(app main.c)\n"
        "target_link_libraries(app PRIVATE microforge::hw)\n", encoding="utf-8")
    run([cmake, "-S", app, "-B", app / "build"])
    run([cmake, "--build", app / "build"])
    assert not (app / "build/third_party/hw/hw_example").exists()  # examples off when embedded
    label, value = run([app / "build/app"]).rsplit(" ", 1)
    reference = run_tflm((shared_data / HELLO).read_bytes(), [np.zeros((1, 1), np.int8)])
    assert label == "class 0" and int(value) == int(reference[0][0, 0])


def _unzip_library(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(dest)
    (root,) = [p for p in dest.iterdir() if p.is_dir()]
    return root


@pytest.mark.parametrize(("model", "board_id"), CASES)
def test_arduino_library_compiles_for_the_board(shared_data: Path, tmp_path: Path, model: str,
                                                board_id: str) -> None:
    cc, cxx = need("arm-none-eabi-gcc"), need("arm-none-eabi-g++")
    result = deploy_model(shared_data / model, board_id, "arduino", tmp_path / "ard", "m")
    lib = _unzip_library(result.artifact, tmp_path / "unzipped")
    flags = board_flags(board_id)
    objects = compile_objects(cc, sorted((lib / "src").glob("*.c")), [lib / "src"], flags,
                              tmp_path / "obj")
    (sketch,) = (lib / "examples").glob("*/*.ino")
    cxx_flags = [*flags, "-x", "c++", "-std=gnu++11", "-fno-exceptions", "-fno-rtti", "-Wall",
                 "-Wextra", "-Werror"]
    objects += compile_objects(cxx, [sketch, STUB_DIR / "arduino_main.cpp"],
                               [lib / "src", STUB_DIR], cxx_flags, tmp_path / "obj_cxx")
    run([cxx, *flags, *arm_link_flags(), *objects, "-o", tmp_path / "sketch.elf", "-lm"])


def test_arduino_sketch_runs_on_the_host_stub(shared_data: Path, tmp_path: Path) -> None:
    gcc, gxx = need("gcc"), need("g++")
    result = deploy_model(shared_data / HELLO, "arduino_nano_33_ble_sense", "arduino",
                          tmp_path / "ard", "hw")
    lib = _unzip_library(result.artifact, tmp_path / "unzipped")
    objects = compile_objects(gcc, sorted((lib / "src").glob("*.c")), [lib / "src"], [],
                              tmp_path / "obj")
    (sketch,) = (lib / "examples").glob("*/*.ino")
    objects += compile_objects(gxx, [sketch, STUB_DIR / "arduino_main.cpp"],
                               [lib / "src", STUB_DIR], ["-x", "c++", "-Wall", "-Werror"],
                               tmp_path / "obj_cxx")
    exe = tmp_path / "sketch"
    run([gxx, *objects, "-o", exe, "-lm"])
    assert run([exe]) == "label: class 0 (0 us)\n"
