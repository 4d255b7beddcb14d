"""Every hand-written kernel in runtime/kernels compiles warning-free (-std=c99 -Wall -Wextra
-Werror -pedantic) with gcc for the host and with arm-none-eabi-gcc for a Cortex-M4F and a
Cortex-M0+, on its own (each .c with only its headers)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from microforge.paths import RUNTIME_DIR
from microforge.runners.sizes import WARNING_FLAGS

KERNELS = sorted((RUNTIME_DIR / "kernels").glob("*.c"))
TARGETS = {
    "host": ["gcc", "-O2"],
    "cortex-m4f": ["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard",
                   "-mfpu=fpv4-sp-d16", "-Os"],
    "cortex-m0plus": ["arm-none-eabi-gcc", "-mcpu=cortex-m0plus", "-mthumb", "-Os"],
}


@pytest.mark.slow  # ~8 s a target
@pytest.mark.parametrize("target", list(TARGETS))
def test_every_kernel_builds_warning_free(tmp_path: Path, target: str) -> None:
    compiler = TARGETS[target]
    if shutil.which(compiler[0]) is None:
        pytest.skip(f"{compiler[0]} is not installed (make toolchain)")
    assert len(KERNELS) > 50
    failures = []
    for source in KERNELS:
        cmd = [*compiler, *WARNING_FLAGS, "-c", str(source), "-I", str(source.parent),
               "-o", str(tmp_path / f"{source.stem}.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            failures.append(f"{source.name}: {result.stderr.strip()[:300]}")
    assert not failures, "\n".join(failures)
