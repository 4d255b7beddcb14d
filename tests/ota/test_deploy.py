"""`deploy MODEL --ota`: the update library lands beside the model in every format, with the
crypto licences, and the policy (keys, IDs, ABI hash) is the one bundles are checked against;
the C compiles with the strict flags on gcc and arm-none-eabi-gcc and runs the update flow."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest

from microforge.cli import main
from microforge.deploy import deploy_model
from microforge.ota.abi import graph_abi_hash
from microforge.ota.bundle import DEFAULT_CLASS, DEFAULT_VENDOR, class_uuid, vendor_uuid
from microforge.ota.deploy import OtaOptions
from microforge.ota.keys import load_public_key, raw_public_key
from microforge.runners.sizes import CORTEX_M4_FLAGS, WARNING_FLAGS

MAIN = """#include <stdio.h>
#include "mf_model_ota_policy.h"
#include "model.h"
int main(void) {
    mf_ota_policy p;
    mf_model_ota_policy(&p, 65536u);
    printf("%u %02x%02x\\n", (unsigned)p.n_keys, p.abi_hash[0], p.abi_hash[31]);
    return 0;
}
"""


@pytest.fixture(scope="module")
def options(key_dirs):
    return OtaOptions([key_dirs["current"] / "signing.pub", key_dirs["next"] / "signing.pub"],
                      vendor_uuid(DEFAULT_VENDOR), class_uuid(DEFAULT_VENDOR, DEFAULT_CLASS))


def test_c_library_with_ota_compiles_and_holds_the_policy(small_model, options, key_dirs,
                                                          tmp_path):
    out = tmp_path / "lib"
    result = deploy_model(small_model, "nucleo_l4r5zi", "c", out, "model", ota=options)
    for name in ("mf_ota.h", "mf_ota_verify.c", "mf_ota_slots.c", "monocypher.c", "sha512.c",
                 "LICENSE-monocypher.txt", "LICENSE-sha512.txt", "mf_model_ota_policy.c"):
        assert name in result.files, name
    policy_c = (out / "mf_model_ota_policy.c").read_text()
    for key in ("current", "next"):
        raw = raw_public_key(load_public_key(key_dirs[key] / "signing.pub"))
        assert ", ".join(f"0x{b:02x}" for b in raw) in policy_c
    (tmp_path / "main.c").write_text(MAIN)
    exe = tmp_path / "app"
    sources = [str(p) for p in sorted(out.glob("*.c"))] + [str(tmp_path / "main.c")]
    subprocess.run(["gcc", *WARNING_FLAGS, "-I", str(out), *sources, "-o", str(exe), "-lm"],
                   check=True, capture_output=True)
    abi = graph_abi_hash(small_model.read_bytes())
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    if shutil.which("g++"):  # an Arduino sketch is C++: the C symbols link unmangled
        (tmp_path / "sketch.cpp").write_text(MAIN)
        subprocess.run(["g++", "-Wall", "-Wextra", "-Werror", "-c", "-I", str(out),
                        str(tmp_path / "sketch.cpp"), "-o", str(tmp_path / "sketch.o")],
                       check=True, capture_output=True)
        symbols = subprocess.run(["nm", str(tmp_path / "sketch.o")], capture_output=True,
                                 text=True, check=True).stdout
        assert " U mf_model_ota_policy" in symbols
    assert run.stdout.split() == ["2", f"{abi[0]:02x}{abi[31]:02x}"]
    if shutil.which("arm-none-eabi-gcc"):
        for src in sorted(out.glob("mf_*ota*.c")) + [out / "monocypher.c", out / "sha512.c"]:
            subprocess.run(["arm-none-eabi-gcc", *CORTEX_M4_FLAGS, *WARNING_FLAGS, "-Os", "-c",
                            "-I", str(out), str(src), "-o", str(tmp_path / "x.o")],
                           check=True, capture_output=True)


def test_arduino_and_cmake_carry_the_update_library(small_model, options, tmp_path):
    ard = deploy_model(small_model, "arduino_nano_33_ble_sense", "arduino", tmp_path / "a",
                       "model", ota=options)
    with zipfile.ZipFile(ard.artifact) as archive:
        names = archive.namelist()
    assert any(n.endswith("src/mf_ota_verify.c") for n in names)
    assert any(n.endswith("src/LICENSE-monocypher.txt") for n in names)
    (sketch,) = [n for n in names if n.endswith("_ota.ino")]  # the slot flow as a sketch
    assert ard.zip_files == len(names)
    if shutil.which("g++"):  # an .ino is C++: setup()/loop() over the C library
        with zipfile.ZipFile(ard.artifact) as archive:
            archive.extractall(tmp_path / "unzipped")
        ino = tmp_path / "unzipped" / sketch
        src = ino.parents[2] / "src"
        subprocess.run(["g++", "-std=c++11", "-DARDUINO", "-Wall", "-Wextra", "-Werror", "-x",
                        "c++", "-c", str(ino), "-I", str(src), "-o", str(tmp_path / "ino.o")],
                       check=True, capture_output=True)
        symbols = subprocess.run(["nm", str(tmp_path / "ino.o")], capture_output=True,
                                 text=True, check=True).stdout
        assert " T _Z5setupv" in symbols and " U mf_ota_boot" in symbols  # C++ sketch, C lib
    cm = deploy_model(small_model, "nucleo_l4r5zi", "cmake", tmp_path / "c", "model",
                      ota=options)
    cmake = (cm.out_dir / "CMakeLists.txt").read_text()
    assert "mf_ota_verify.c" in cmake and "monocypher.c" in cmake


def test_cli_deploy_ota_needs_a_pubkey(small_model, tmp_path, capsys):
    code = main(["deploy", str(small_model), "-b", "nucleo_l4r5zi", "-o", str(tmp_path / "o"),
                 "--ota"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--pubkey" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_cli_deploy_ota(small_model, key_dirs, tmp_path, capsys):
    code = main(["deploy", str(small_model), "-b", "nucleo_l4r5zi", "-o", str(tmp_path / "o"),
                 "--ota", "--pubkey", str(key_dirs["current"] / "signing.pub")])
    assert code == 0
    assert "update library" in capsys.readouterr().out
    assert (tmp_path / "o" / "mf_model_ota_policy.h").is_file()
