"""Kernel variants as data: for a kernel (`conv2d_s8_1x1`, ...), the optimized C functions that
can replace its portable one, each with the core features it needs and a predicate on the op's
compile-time parameters. The code generator asks `select` which function to call; the first
variant whose needs the core meets and whose predicate holds wins, else the portable kernel.
Every variant has the portable kernel's signature and gives the same results (bit-exact for
integer kernels); `tests/ops/test_simd32_kernels.py` runs each where its core is emulated.

To add a variant: write `runtime/kernels/<file>.c/.h` defining the function (guarded by the
feature macro, e.g. MF_DSP_AVAILABLE), add a `Variant` to `VARIANTS[kernel]` here, and, if it
needs scratch, size it in the op's `memory()` through the same formula (`scratch` below)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from microforge.ops.add import add_dsp_applies
from microforge.ops.average_pool2d import pool_dsp_applies
from microforge.ops.conv2d import (
    conv_dsp_applies,
    conv_dsp_scratch,
    pointwise_dsp_applies,
    pointwise_dsp_scratch,
)
from microforge.ops.depthwise_conv2d import depthwise_dsp_applies
from microforge.ops.fully_connected import fc_dsp_applies
from microforge.targets.features import CoreFeatures


@dataclass(frozen=True)
class Use:
    """What the predicate sees: the op's prepared parameters and whether it runs in place."""

    params: Any
    in_place: bool


@dataclass(frozen=True)
class Variant:
    function: str  # C function, same signature as the portable kernel's
    source: str  # runtime/kernels/<source>.c/.h
    headers: tuple[str, ...] = ()  # further runtime/kernels headers its source includes
    needs_dsp: bool = False  # Armv7E-M / Armv8-M DSP extension
    needs_armv6m: bool = False  # Armv6-M only (Cortex-M0/M0+)
    applies: Callable[[Use], bool] = lambda use: True
    scratch: Callable[[Any], int] | None = None  # bytes, the op's memory() plans it

    def runs_on(self, features: CoreFeatures) -> bool:
        return (features.dsp or not self.needs_dsp) and (features.armv6m
                                                         or not self.needs_armv6m)


DSP_HEADERS = ("mf_requantize", "mf_simd32", "mf_dsp")

VARIANTS: dict[str, tuple[Variant, ...]] = {
    "conv2d_s8_1x1": (
        Variant("mf_conv2d_s8_1x1_dsp", "conv2d_s8_1x1_dsp", needs_dsp=True, headers=DSP_HEADERS,
                applies=lambda use: pointwise_dsp_applies(use.params) and not (
                    use.in_place and use.params.out_c > use.params.in_c),  # growing in place
                scratch=pointwise_dsp_scratch),
    ),
    "conv2d_s8": (
        Variant("mf_conv2d_s8_dsp", "conv2d_s8_dsp", needs_dsp=True, headers=DSP_HEADERS,
                applies=lambda use: conv_dsp_applies(use.params),
                scratch=conv_dsp_scratch),
    ),
    "add_sub_s8": (
        Variant("mf_add_sub_s8_dsp", "add_sub_s8_dsp", needs_dsp=True, headers=DSP_HEADERS,
                applies=lambda use: add_dsp_applies(use.params)),
    ),
    "average_pool2d_s8": (
        Variant("mf_average_pool2d_s8_dsp", "average_pool2d_s8_dsp", needs_dsp=True,
                headers=("mf_simd32",), applies=lambda use: pool_dsp_applies(use.params)),
    ),
    "fully_connected_s8": (
        Variant("mf_fully_connected_s8_dsp", "fully_connected_s8_dsp", needs_dsp=True,
                headers=DSP_HEADERS, applies=lambda use: fc_dsp_applies(use.params)),
    ),
    "depthwise_conv2d_s8": (
        Variant("mf_depthwise_conv2d_s8_dsp", "depthwise_conv2d_s8_dsp", needs_dsp=True, headers=DSP_HEADERS,
                applies=lambda use: depthwise_dsp_applies(use.params)),
    ),
}


def select(kernel: str, params: Any, features: CoreFeatures, in_place: bool = False
           ) -> Variant | None:
    """The variant of `kernel` to call on a core with `features`, or None for the portable."""
    use = Use(params, in_place)
    for variant in VARIANTS.get(kernel, ()):
        if variant.runs_on(features) and variant.applies(use):
            return variant
    return None
