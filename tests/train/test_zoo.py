from __future__ import annotations

import subprocess
import sys

import pytest

from microforge.errors import ConfigError
from microforge.train.zoo import build_model

ALLOWED_OPS = {
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "MAX_POOL_2D",
    "AVERAGE_POOL_2D",
    "FULLY_CONNECTED",
    "RESHAPE",
    "SOFTMAX",
}


@pytest.mark.parametrize(
    ("arch", "shape", "budget"),
    [
        ("dense", (40,), (2_000, 10_000)),
        ("cnn1d", (128, 9), (5_000, 15_000)),
        ("dscnn", (49, 10), (15_000, 40_000)),
    ],
)
def test_builds_with_output_shape_and_param_budget(tf, arch, shape, budget):
    model = build_model(arch, shape, 6)
    assert model.input_shape == (None, *shape)
    assert model.output_shape == (None, 6)
    assert budget[0] <= model.count_params() <= budget[1]


def test_width_scales_the_model(tf):
    small = build_model("cnn1d", (64, 3), 4, width=0.5).count_params()
    big = build_model("cnn1d", (64, 3), 4, width=2.0).count_params()
    assert big > 2 * small


def test_same_seed_same_initial_weights(tf):
    import numpy as np

    a = build_model("dense", (8,), 3, seed=3).get_weights()
    b = build_model("dense", (8,), 3, seed=3).get_weights()
    c = build_model("dense", (8,), 3, seed=4).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


def _op_names(model_bytes: bytes) -> set[str]:
    import tflite

    model = tflite.Model.GetRootAsModel(model_bytes, 0)
    names = {v: k for k, v in vars(tflite.BuiltinOperator).items() if not k.startswith("_")}
    codes = [model.OperatorCodes(i) for i in range(model.OperatorCodesLength())]
    return {names[max(c.BuiltinCode(), c.DeprecatedBuiltinCode())] for c in codes}


@pytest.mark.parametrize(("arch", "shape"), [("cnn1d", (128, 9)), ("dscnn", (49, 10))])
def test_int8_conversion_uses_only_tflm_int8_ops(tf, tflm, arch, shape):
    import numpy as np

    from microforge.train.quantize import quantize_int8

    model = build_model(arch, shape, 6)
    x = np.random.default_rng(0).standard_normal((40, *shape)).astype(np.float32)
    int8 = quantize_int8(model, x, n_samples=40)
    assert _op_names(int8) <= ALLOWED_OPS
    if arch == "cnn1d":
        assert len(int8) < 32 * 1024
    assert _conv_filters_are_per_channel(int8)


def _conv_filters_are_per_channel(model_bytes: bytes) -> bool:
    """Every CONV_2D filter has one int8 scale per output channel."""
    import tflite

    model = tflite.Model.GetRootAsModel(model_bytes, 0)
    graph = model.Subgraphs(0)
    checked = 0
    for i in range(graph.OperatorsLength()):
        op = graph.Operators(i)
        code = model.OperatorCodes(op.OpcodeIndex())
        if max(code.BuiltinCode(), code.DeprecatedBuiltinCode()) != tflite.BuiltinOperator.CONV_2D:
            continue
        filt = graph.Tensors(op.Inputs(1))
        out_channels = filt.ShapeAsNumpy()[0]
        if filt.Type() != tflite.TensorType.INT8:
            return False
        if filt.Quantization().ScaleLength() != out_channels:
            return False
        checked += 1
    return checked > 0


def test_unknown_arch_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown 'lstm'.*dense, cnn1d, dscnn"):
        build_model("lstm", (10,), 2)


def test_wrong_input_rank_is_a_config_error(tf):
    with pytest.raises(ConfigError, match=r"cnn1d expects windows shaped \(time, channels\)"):
        build_model("cnn1d", (128,), 2)
    with pytest.raises(ConfigError, match="at least 2 classes"):
        build_model("dense", (10,), 1)


def test_importing_the_package_does_not_import_tensorflow():
    code = (
        "import sys, microforge, microforge.train.zoo, microforge.train.fit, "
        "microforge.train.metrics, microforge.train.quantize, microforge.export.tflm_array, "
        "microforge.targets.boards, microforge.report; "
        "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("arch", "shape", "depth", "layer"),
                         [("cnn1d", (64, 3), 1, "conv"), ("cnn1d", (64, 3), 5, "conv"),
                          ("dense", (20,), 3, "dense"), ("dscnn", (49, 10), 2, "dw")])
def test_depth_sets_the_number_of_blocks(tf, arch, shape, depth, layer):
    from microforge.train.zoo import build_model

    model = build_model(arch, shape, 4, depth=depth)
    names = [lay.name for lay in model.layers]
    blocks = [n for n in names if n.startswith(layer) and n[len(layer):].isdigit()]
    assert len(blocks) == depth


def test_depth_of_a_fixed_architecture_is_an_error(tf):
    from microforge.errors import ConfigError
    from microforge.train.zoo import build_model

    with pytest.raises(ConfigError, match="model.depth"):
        build_model("mobilenet", (32, 32, 1), 3, depth=2)
    with pytest.raises(ConfigError, match="1..5"):
        build_model("cnn1d", (64, 3), 3, depth=7)
