"""The generated monitor compiles with -std=c99 -Wall -Wextra -Werror -pedantic for the
host and for Cortex-M0+ (no FPU, no hardware divide) and Cortex-M4 with arm-none-eabi-gcc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from microforge.monitor.emit import render_monitor, write_monitor
from microforge.runners.sizes import measure_library
from tests.monitor.kws import kws_reference

M0PLUS = ["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"]


def test_generated_files_and_constants(shared_data: Path, tmp_path: Path) -> None:
    ref = kws_reference(shared_data)
    files = write_monitor("kws", ref.spec, tmp_path)
    assert {"kws_monitor.c", "kws_monitor.h", "mf_monitor.c", "mf_cbor.c", "monocypher.c",
            "LICENSE-monocypher.txt"} <= set(files)
    header = render_monitor("kws", ref.spec)["kws_monitor.h"]
    assert f"#define MF_KWS_MONITOR_MODEL_ID 0x{ref.spec.model_id:08x}u" in header
    assert f"MF_KWS_MONITOR_TINY_MAX_BYTES {ref.spec.max_record_bytes(2)}u" in header


@pytest.mark.parametrize("flags", [None, M0PLUS], ids=["cortex-m4", "cortex-m0plus"])
def test_monitor_builds_with_werror_on_arm(shared_data: Path, tmp_path: Path, flags) -> None:
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("needs arm-none-eabi-gcc")
    write_monitor("kws", kws_reference(shared_data).spec, tmp_path)
    sizes = measure_library(tmp_path, lambda f: f, arm_flags=flags)
    assert sizes.target == "cortex-m4"  # (the label of any arm-none-eabi build)
    assert sizes.files["kws_monitor.c"].ram_bytes > 0
    assert sizes.files["mf_monitor.c"].flash_bytes > 0
