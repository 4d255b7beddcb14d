"""runtime/kernels/mf_requantize.h gives exactly mf_common.h's MultiplyByQuantizedMultiplier."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from microforge.paths import RUNTIME_DIR

PROGRAM = r"""
#include <stdio.h>
#include "mf_requantize.h"
static uint64_t s = 88172645463325252ull;
static uint32_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return (uint32_t)s; }
int main(void) {
    static const int32_t edges[] = {0, 1, -1, 2, -2, INT32_MAX, INT32_MIN, INT32_MIN + 1,
                                    1 << 30, -(1 << 30), 12345, -12345, 1073741823};
    long bad = 0, n = 0;
    int i, j, k;
    for (i = 0; i < 13; ++i) for (j = 0; j < 13; ++j) for (k = -31; k <= 30; ++k) {
        ++n;
        bad += mf_requantize(edges[i], edges[j], k)
               != mf_multiply_by_quantized_multiplier(edges[i], edges[j], k);
    }
    for (i = 0; i < 3000000; ++i) {
        int32_t x = (int32_t)rnd(), m = (int32_t)rnd();
        int sh = (int)(rnd() % 62) - 31;
        if (i & 1) x >>= rnd() % 31;
        if (i & 2) m = (int32_t)(0x40000000u | (rnd() >> 2));
        if (sh > 0 && (i & 4)) x >>= sh;
        ++n;
        bad += mf_requantize(x, m, sh) != mf_multiply_by_quantized_multiplier(x, m, sh);
    }
    printf("%ld %ld\n", bad, n);
    return bad != 0;
}
"""


@pytest.mark.parametrize("folded", [0, 1])  # both forms of the rounding shift
def test_fast_requantize_equals_reference(tmp_path: Path, folded: int) -> None:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    source = tmp_path / "rq.c"
    source.write_text(PROGRAM)
    exe = tmp_path / "rq"
    kernels = RUNTIME_DIR / "kernels"
    build = subprocess.run(["gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic",
                            f"-DMF_REQUANTIZE_FOLDED={folded}",
                            "-I", str(kernels), str(source), "-o", str(exe)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    bad, total = (int(v) for v in run.stdout.split())
    assert total > 3_000_000 and bad == 0
