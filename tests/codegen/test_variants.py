"""codegen/variants.py: the kernel variant each core gets (data, not code branches)."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.codegen.variants import VARIANTS, select
from microforge.ops.conv2d import Conv2DParams
from microforge.ops.depthwise_conv2d import DepthwiseParams
from microforge.targets.boards import load_board
from microforge.targets.features import HOST, core_features, features_of_target


def _pointwise(in_c: int, out_c: int) -> Conv2DParams:
    return Conv2DParams("int8", 1, 5, 5, in_c, 5, 5, out_c, 1, 1, in_c, 1, 1, 1, 1, 0, 0,
                        bias_folded=np.zeros(out_c, np.int32))


def _depthwise(channels: int, k: int = 3, multiplier: int = 1) -> DepthwiseParams:
    return DepthwiseParams("int8", 1, 8, 8, channels, 8, 8, multiplier, k, k, 1, 1, 1, 1,
                           k // 2, k // 2)


@pytest.mark.parametrize(("board", "dsp"), [
    ("nucleo_l4r5zi", True), ("stm32f746g_disco", True), ("b_u585i_iot02a", True),
    ("raspberry_pi_pico", False), ("stm32f103c8_bluepill", False), ("esp32_c3", False)])
def test_only_cores_with_the_dsp_extension_get_the_dsp_variants(board: str, dsp: bool) -> None:
    features = core_features(load_board(board))
    assert features.dsp is dsp
    chosen = select("conv2d_s8_1x1", _pointwise(64, 64), features)
    assert (chosen is not None and chosen.function == "mf_conv2d_s8_1x1_dsp") is dsp
    assert (select("depthwise_conv2d_s8", _depthwise(64), features) is not None) is dsp


def test_the_host_gets_the_portable_kernels() -> None:
    assert features_of_target("host") == HOST == features_of_target(None)
    for kernel in VARIANTS:
        for params in (_pointwise(64, 64), _depthwise(64)):
            assert select(kernel, params, HOST) is None


def test_the_predicates_follow_the_params() -> None:
    m4 = features_of_target("nucleo_l4r5zi")
    assert select("conv2d_s8_1x1", _pointwise(6, 5), m4) is None  # in_c % 4 != 0
    assert select("depthwise_conv2d_s8", _depthwise(6), m4) is None  # channels % 4 != 0
    assert select("depthwise_conv2d_s8", _depthwise(8, k=5), m4) is None  # not 3x3
    assert select("depthwise_conv2d_s8", _depthwise(8, multiplier=2), m4) is None
    assert select("depthwise_conv2d_s8", _depthwise(512), m4) is None  # > zero-point row
    conv = Conv2DParams("int8", 1, 49, 10, 1, 25, 5, 64, 10, 4, 1, 2, 2, 1, 1, 4, 1)
    assert select("conv2d_s8", conv, m4) is not None
    ring = Conv2DParams("int8", 1, 8, 8, 8, 8, 8, 8, 3, 3, 8, 1, 1, 1, 1, 1, 1)
    assert select("conv2d_s8", ring, m4) is None  # can run in place: the portable ring
    wide = Conv2DParams("int8", 1, 8, 8, 32, 8, 8, 32, 3, 3, 32, 1, 1, 1, 1, 1, 1)
    assert select("conv2d_s8", wide, m4) is None  # 288 values: above the patch limit


def test_an_unknown_board_is_a_config_error() -> None:
    from microforge.errors import ConfigError
    with pytest.raises(ConfigError):
        features_of_target("no_such_board")
