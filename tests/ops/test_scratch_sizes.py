"""The scratch a kernel needs: the compiler's plan (OpDef.memory) == the kernel's own
mf_<kernel>_scratch_bytes(&params), on seeded random shapes, in one C program."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from microforge.ops.base import get_op
from microforge.ops.conv2d import Conv2DParams
from microforge.ops.depthwise_conv2d import DepthwiseParams
from microforge.ops.fully_connected import FullyConnectedParams
from microforge.ops.kernel_structs import KERNELS_DIR, designated, kernel_structs
from microforge.ops.transpose_conv import GEOMETRY_FIELDS, TransposeConvParams

SOURCES = ("conv2d_s8", "conv2d_s8_1x1_dsp", "conv2d_s8_dsp", "conv2d_f32", "conv2d_s16",
           "depthwise_conv2d_s8", "depthwise_conv2d_s16", "conv2d_hybrid", "fully_connected_hybrid",
           "transpose_conv")
LINKED = (*SOURCES, "hybrid_quantize")


@dataclass(frozen=True)
class Case:
    op_type: str
    params: object
    struct: str    # the C parameter struct
    function: str  # the C scratch-size function of the entry point the compiler calls
    variant: str = ""  # and of its core variant: the plan is the larger of the two


def _geometry(rng: random.Random, pointwise: bool) -> dict[str, int]:
    k = (1, 1) if pointwise else (rng.choice((1, 3, 5)), rng.choice((1, 3)))
    stride = (1, 1) if pointwise else (rng.choice((1, 1, 2)), rng.choice((1, 1, 2)))
    in_h, in_w, in_c = rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 24)
    pad_h, pad_w = (0, 0) if pointwise else (rng.randint(0, k[0] // 2), rng.randint(0, k[1] // 2))
    out_h = (in_h + 2 * pad_h - k[0]) // stride[0] + 1
    out_w = (in_w + 2 * pad_w - k[1]) // stride[1] + 1
    return dict(batches=1, in_h=in_h, in_w=in_w, in_c=in_c, out_h=max(out_h, 1),
                out_w=max(out_w, 1), filter_h=k[0], filter_w=k[1], stride_h=stride[0],
                stride_w=stride[1], dilation_h=1, dilation_w=1, pad_h=pad_h, pad_w=pad_w)


def _conv_cases(rng: random.Random) -> list[Case]:
    cases = []
    for _ in range(40):
        pointwise = rng.random() < 0.4
        g = _geometry(rng, pointwise)
        out_c = rng.choice((g["in_c"], max(1, g["in_c"] // 2), g["in_c"] + 3))
        g.update(out_c=out_c, filter_in_c=g["in_c"])
        if rng.random() < 0.5:  # same width and channels: the pixel ring
            g.update(out_c=g["in_c"])
        folded = np.zeros(out_c, np.int32) if pointwise else None
        cases += [
            Case("CONV_2D", Conv2DParams("int8", **g, bias_folded=folded), "mf_conv2d_s8_params",
                 "mf_conv2d_s8_1x1_scratch_bytes" if pointwise else "mf_conv2d_s8_scratch_bytes",
                 "mf_conv2d_s8_1x1_dsp_scratch_bytes" if pointwise
                 else "mf_conv2d_s8_dsp_scratch_bytes"),
            Case("CONV_2D", Conv2DParams("float32", **g), "mf_conv2d_f32_params",
                 "mf_conv2d_f32_scratch_bytes"),
            Case("CONV_2D", Conv2DParams("int16", **g), "mf_conv2d_s16_params",
                 "mf_conv2d_s16_scratch_bytes"),
            Case("CONV_2D", Conv2DParams("hybrid", **g), "mf_conv2d_hybrid_params",
                 "mf_conv2d_hybrid_scratch_bytes"),
        ]
    return cases


def _depthwise_cases(rng: random.Random) -> list[Case]:
    cases = []
    for _ in range(30):
        g = _geometry(rng, pointwise=False)
        g["depth_multiplier"] = rng.choice((1, 1, 2))
        for dtype, suffix in (("int8", "s8"), ("int16", "s16")):
            cases.append(Case("DEPTHWISE_CONV_2D", DepthwiseParams(dtype, **g),
                              f"mf_depthwise_conv2d_{suffix}_params",
                              f"mf_depthwise_conv2d_{suffix}_scratch_bytes"))
    return cases


def _fc_cases(rng: random.Random) -> list[Case]:
    return [Case("FULLY_CONNECTED",
                 FullyConnectedParams("hybrid", 1, rng.randint(1, 300), rng.randint(1, 40)),
                 "mf_fully_connected_hybrid_params", "mf_fully_connected_hybrid_scratch_bytes")
            for _ in range(10)]


def _transpose_conv_cases(rng: random.Random) -> list[Case]:
    cases = []
    for _ in range(20):
        geometry = tuple(rng.randint(1, 9) for _ in GEOMETRY_FIELDS.split())
        cases.append(Case("TRANSPOSE_CONV", TransposeConvParams("int16", geometry, (0, 0)),
                          "mf_transpose_conv_s8_params", "mf_transpose_conv_s16_scratch_bytes"))
    return cases


def _initializer(case: Case) -> str:
    named = case.params.c_fields() if hasattr(case.params, "c_fields") else {}
    fields = {name: named.get(name, getattr(case.params, name, 0))
              for name in kernel_structs()[case.struct]}
    return designated(case.struct, {k: (0 if not isinstance(v, int | float) else int(v))
                                    for k, v in fields.items()})


def _planned(case: Case) -> int:
    hints = get_op(case.op_type).memory(None, None, case.params)  # type: ignore[arg-type]
    return hints.scratch_bytes if hints.inplace_input is not None or hints.scratch_bytes else 0


def _run_c(cases: list[Case], tmp: Path) -> list[int]:
    lines = ["#include <stdio.h>", *(f'#include "{s}.h"' for s in SOURCES), "int main(void) {"]
    for i, case in enumerate(cases):
        size = f"{case.function}(&p{i})"
        if case.variant:
            size = f"MF_MAX({size}, {case.variant}(&p{i}))"
        lines.append(f"    {{ static const {case.struct} p{i} = {_initializer(case)}; "
                     f'printf("%ld\\n", (long){size}); }}')
    lines += ["    return 0;", "}"]
    (tmp / "main.c").write_text("\n".join(lines) + "\n")
    exe = tmp / "scratch"
    build = subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-O1",
                            f"-I{KERNELS_DIR}", str(tmp / "main.c"),
                            *(str(KERNELS_DIR / f"{s}.c") for s in LINKED),
                    "-o", str(exe), "-lm"], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return [int(v) for v in out.split()]


@pytest.mark.parametrize(("make_cases", "in_place"), [
    (_conv_cases, True), (_depthwise_cases, True), (_fc_cases, False),
    (_transpose_conv_cases, False)],
    ids=["conv2d", "depthwise_conv2d", "fully_connected_hybrid", "transpose_conv_s16"])
def test_planned_scratch_equals_the_kernels_own_size(
        make_cases: Callable[[random.Random], list[Case]], in_place: bool,
        tmp_path: Path) -> None:
    cases = make_cases(random.Random(12))
    measured = _run_c(cases, tmp_path)
    planned = [_planned(c) for c in cases]
    mismatches = [(c.function, c.params, p, m)
                  for c, p, m in zip(cases, planned, measured, strict=True) if p != m]
    assert not mismatches, mismatches[:3]
    assert any(planned)
    if in_place:  # shapes that run in place and shapes that cannot both occur
        assert 0 in planned and any(planned)
