from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from microforge.errors import ConfigError
from microforge.export.tflm_array import arena_with_margin, write_tflm_sources
from microforge.runners.tflm import ArenaSize, tflm_arena_size


def _array_bytes(text: str) -> bytes:
    body = text[text.index("{") + 1 : text.index("};")]
    return bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", body))


def test_sources_hold_the_model_and_measured_arena(tmp_path, tflm, shared_data):
    model = (shared_data / "models/tflm_hello_world").glob("*int8*.tflite")
    model_bytes = next(iter(sorted(model))).read_bytes()
    arena = tflm_arena_size(model_bytes)
    header, source = write_tflm_sources(model_bytes, tmp_path / "out", name="sine", arena=arena)
    assert (header.name, source.name) == ("sine_data.h", "sine_data.cc")
    h, cc = header.read_text(), source.read_text()
    assert _array_bytes(cc) == model_bytes
    assert f"#define SINE_DATA_LEN {len(model_bytes)}" in h
    assert f"#define SINE_ARENA_SIZE {arena_with_margin(arena)}" in h
    assert f"#define SINE_ARENA_MEASURED {arena.total}" in h
    assert "alignas(16) const unsigned char g_sine_data[]" in cc
    assert f"g_sine_data_len = {len(model_bytes)};" in cc


def test_arena_margin_is_at_least_the_measurement_and_aligned():
    for total in (0, 1504, 24272):
        size = arena_with_margin(ArenaSize(total, total // 2, total - total // 2))
        assert size >= total + 1024 and size % 16 == 0


def test_measures_the_arena_when_not_given(tmp_path, tflm, shared_data):
    model_bytes = (shared_data / "models/mlperf_kws/kws_ref_model.tflite").read_bytes()
    header, _ = write_tflm_sources(model_bytes, tmp_path)
    assert "#define MODEL_ARENA_MEASURED 24272" in header.read_text()


def test_generated_cc_compiles_warning_free(tmp_path, tflm, shared_data):
    gxx = shutil.which("g++")
    if gxx is None:
        pytest.skip("g++ not installed")
    model_bytes = (shared_data / "models/mlperf_ad/ad01_int8.tflite").read_bytes()
    _, source = write_tflm_sources(model_bytes, tmp_path, name="ad01")
    result = subprocess.run(
        [
            gxx,
            "-std=c++17",
            "-c",
            "-Wall",
            "-Wextra",
            "-Werror",
            str(source),
            "-o",
            str(tmp_path / "ad01_data.o"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ad01_data.o").stat().st_size > len(model_bytes)


def test_name_must_be_a_c_identifier(tmp_path):
    with pytest.raises(ConfigError, match="C identifier"):
        write_tflm_sources(b"\0" * 8, tmp_path, name="my-model", arena=ArenaSize(1, 1, 0))


def test_array_lands_in_flash_16_byte_aligned_on_cortex_m(tmp_path, tflm, shared_data):
    """With arm-none-eabi-g++ the array is .rodata (flash, not RAM), aligned to 16 bytes."""
    import os

    gxx, readelf = shutil.which("arm-none-eabi-g++"), shutil.which("arm-none-eabi-readelf")
    if gxx is None or readelf is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have arm-none-eabi-g++ (gcc-arm-none-eabi)")
        pytest.skip("arm-none-eabi-g++ not installed")
    model_bytes = (shared_data / "models/tflm_hello_world/hello_world_int8.tflite").read_bytes()
    _, source = write_tflm_sources(model_bytes, tmp_path, name="sine")
    obj = tmp_path / "sine_data.o"
    flags = ["-std=c++17", "-mcpu=cortex-m4", "-mthumb", "-Os", "-fdata-sections"]
    warn = ["-Wall", "-Wextra", "-Werror"]
    subprocess.run([gxx, *flags, *warn, "-c", str(source), "-o", str(obj)], check=True)
    sections = subprocess.run(
        [readelf, "-S", "-W", str(obj)], capture_output=True, text=True, check=True
    ).stdout
    line = next(row for row in sections.splitlines() if ".rodata.g_sine_data " in row)
    fields = line.split("]", 1)[1].split()
    size, align = int(fields[4], 16), int(fields[-1])
    assert size == len(model_bytes) and align == 16
