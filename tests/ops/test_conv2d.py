"""CONV_2D vs TFLM on generated single-op models (seeded random geometry)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def conv_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(3, 12)), int(rng.integers(3, 12))
    cin, cout = int(rng.integers(1, 6)), int(rng.integers(1, 9))
    kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    dilated = rng.random() < 0.3
    stride = 1 if dilated else int(rng.integers(1, 3))
    dilation = int(rng.integers(2, 3)) if dilated else 1
    padding = "SAME" if rng.random() < 0.5 else "VALID"
    if padding == "VALID":
        h, w = max(h, (kh - 1) * dilation + 1), max(w, (kw - 1) * dilation + 1)
    act = ["NONE", "RELU", "RELU6"][int(rng.integers(0, 3))]
    filters = tf.constant(rng.normal(0, 0.5, (kh, kw, cin, cout)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (cout,)).astype(np.float32))

    def fn(x):
        y = tf.nn.conv2d(x, filters, strides=stride, padding=padding, dilations=dilation) + bias
        return {"NONE": y, "RELU": tf.nn.relu(y), "RELU6": tf.nn.relu6(y)}[act]

    return build_tflite(fn, [(1, h, w, cin)], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_conv2d_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = conv_model(seed, mode)
    assert op_types(model) == ["CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 15))
def test_conv2d_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = conv_model(seed, mode)
    assert op_types(model) == ["CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


def chained_model(seed: int, mode: str = "int8") -> bytes:
    """conv 1x1 -> conv kxk (stride 1) -> conv 1x1: the middle conv runs in place."""
    import tensorflow as tf

    rng = np.random.default_rng(700 + seed)
    h, w, c = int(rng.integers(3, 10)), int(rng.integers(3, 10)), int(rng.integers(2, 12))
    k = int(rng.choice([1, 3, 5]))
    h, w = max(h, k), max(w, k)
    padding = "SAME" if seed % 3 else "VALID"
    c_out = c if padding == "VALID" else int(rng.integers(1, c + 1))
    first = tf.constant(rng.normal(0, 0.5, (1, 1, 2, c)).astype(np.float32))
    middle = tf.constant(rng.normal(0, 0.3, (k, k, c, c_out)).astype(np.float32))
    last = tf.constant(rng.normal(0, 0.5, (1, 1, c_out, 3)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, first, 1, "VALID"))
        y = tf.nn.relu(tf.nn.conv2d(y, middle, 1, padding))
        return tf.nn.conv2d(y, last, 1, "VALID")

    return build_tflite(fn, [(1, h, w, 2)], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", [0, 1, 2, 4, 5, 7])
def test_conv2d_in_place_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = chained_model(seed, mode)
    assert op_types(model) == ["CONV_2D"] * 3
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    source = (tmp_path / "op" / "op.c").read_text()
    middle = [line for line in source.splitlines() if "mf_conv2d_" in line][1]
    assert not middle.rstrip().endswith("NULL); }"), "the middle conv did not run in place"


def same_geometry_model(seed: int, mode: str = "int8") -> bytes:
    """conv 1x1 -> conv (SAME, stride 1, c -> c, maybe dilated, kh != kw) -> conv 1x1: the
    middle conv keeps its geometry, so it runs in place through a pixel ring (int8)."""
    import tensorflow as tf

    rng = np.random.default_rng(800 + seed)
    h, w, c = int(rng.integers(2, 9)), int(rng.integers(1, 9)), int(rng.integers(1, 10))
    kh, kw = int(rng.choice([1, 2, 3, 5])), int(rng.choice([2, 3, 4]))
    dilation = 1 + seed % 2
    first = tf.constant(rng.normal(0, 0.5, (1, 1, 2, c)).astype(np.float32))
    middle = tf.constant(rng.normal(0, 0.3, (kh, kw, c, c)).astype(np.float32))
    last = tf.constant(rng.normal(0, 0.5, (1, 1, c, 3)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, first, 1, "VALID"))
        y = tf.nn.relu(tf.nn.conv2d(y, middle, 1, "SAME", dilations=dilation))
        return tf.nn.conv2d(y, last, 1, "VALID")

    return build_tflite(fn, [(1, h, w, 2)], mode, seed=seed)


@pytest.mark.parametrize("seed", range(6))
def test_conv2d_pixel_ring_in_place_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    from microforge.ir.tflite_reader import read_tflite
    from microforge.ops.conv2d import Conv2D

    model = same_geometry_model(seed)
    assert op_types(model) == ["CONV_2D"] * 3
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    source = (tmp_path / "op" / "op.c").read_text()
    middle = [line for line in source.splitlines() if "mf_conv2d_" in line][1]
    assert not middle.rstrip().endswith("NULL); }"), "the middle conv did not run in place"
    graph = read_tflite(model)
    op = graph.operators[1]
    params = Conv2D().prepare(op, graph)
    ring = Conv2D().memory(op, graph, params).scratch_bytes
    pixels = params.pad_h * params.out_w + params.pad_w + 1
    if params.pad_w < params.out_w:
        assert ring == pixels * params.out_c <= (params.pad_h + 1) * params.out_w * params.out_c
    else:  # the row ring is no bigger
        assert ring == (params.pad_h + 1) * params.out_w * params.out_c


def hybrid_model(seed: int) -> bytes:
    """Dynamic-range CONV_2D (weights >= 1024 values so the converter quantizes them)."""
    import tensorflow as tf

    rng = np.random.default_rng(900 + seed)
    h, w = int(rng.integers(4, 10)), int(rng.integers(4, 10))
    cin, cout, k = int(rng.integers(8, 17)), int(rng.integers(16, 33)), 3
    stride = int(rng.integers(1, 3))
    padding = "SAME" if seed % 2 else "VALID"
    filters = tf.constant(rng.normal(0, 0.3, (k, k, cin, cout)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (cout,)).astype(np.float32))

    def fn(x):
        y = tf.nn.conv2d(x, filters, strides=stride, padding=padding) + bias
        return tf.nn.relu(y) if seed % 3 == 0 else y

    return build_tflite(fn, [(1, h, w, cin)], "hybrid", seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_conv2d_hybrid_matches_litert_reference(tf, tmp_path: Path, seed: int) -> None:
    """TFLM has no hybrid kernels: LiteRT's reference kernels are the reference."""
    from microforge.runners.host import compile_and_load
    from tests.ops.test_fully_connected import run_litert_reference
    from tests.ops.tflite_build import random_inputs

    model = hybrid_model(seed)
    assert op_types(model) == ["CONV_2D"]
    compiled = compile_and_load(model, tmp_path / "op", "op")
    assert "conv2d_hybrid" in compiled.info.kernels
    checked = 0
    for i, sample in enumerate(random_inputs(model, 20, seed=seed)):
        if _asymmetric_rounding_tie(sample[0][0]):
            continue  # LiteRT's x86 (SSE) quantizer rounds ties to even, the reference away
        ours, ref = compiled.run(sample)[0], run_litert_reference(model, sample)[0]
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-5, err_msg=f"sample {i}")
        checked += 1
    assert checked >= 15


def _asymmetric_rounding_tie(x: np.ndarray) -> bool:
    """Does the run-time asymmetric quantization of x hit an exact .5 (TFLite's portable
    reference rounds it away from zero, its SSE path to even)?"""
    lo = float(min(np.float32(0), x.min()))
    hi = float(max(np.float32(0), x.max()))
    if lo == hi:
        return False
    scale = (hi - lo) / 255.0
    zp_min, zp_max = -128 - lo / scale, 127 - hi / scale
    zp = zp_min if 128 + abs(lo / scale) < 127 + abs(hi / scale) else zp_max
    offset = -128 if zp <= -128 else 127 if zp >= 127 else int(np.sign(zp) * np.floor(abs(zp) + 0.5))
    inv = np.float32(1.0 / float(np.float32(scale)))
    v = np.float32(offset) + x.astype(np.float32) * inv
    return bool(np.any(np.abs(v - np.floor(v)) == np.float32(0.5)))


def test_blocked_filter_layout() -> None:
    from microforge.ops.conv2d import blocked_filter

    f = np.arange(5 * 2 * 3 * 2, dtype=np.float32).reshape(5, 2, 3, 2)  # OHWI
    flat = blocked_filter(f, block=4)
    assert flat.size == f.size
    np.testing.assert_array_equal(flat[:48].reshape(2, 3, 2, 4), f[:4].transpose(1, 2, 3, 0))
    np.testing.assert_array_equal(flat[48:], f[4].reshape(-1))


@pytest.mark.parametrize("seed", range(4))
def test_float_blocked_kernel_is_bit_identical(tf, tflm, tmp_path: Path, seed: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """8+ output channels run mf_conv2d_f32_blocked (also in place): the same values, bit for
    bit, as the plain float kernel, and within tolerance of TFLM."""
    from microforge.ops import conv2d
    from microforge.runners.host import compile_and_load
    from tests.ops.tflite_build import random_inputs

    # same_geometry_model 13 and 24: 9 and 8 channels, run in place through the row ring
    model = same_geometry_model((13, 24)[seed // 2], "float") if seed % 2 else wide_conv_model(seed)
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    blocked = compile_and_load(model, tmp_path / "blocked", "op")
    monkeypatch.setattr(conv2d, "FLOAT_BLOCK", 10**9)
    plain = compile_and_load(model, tmp_path / "plain", "op")
    source = (tmp_path / "blocked" / "op.c").read_text()
    assert "mf_conv2d_f32_blocked(&p" in source
    assert "mf_conv2d_f32_blocked(&p" not in (tmp_path / "plain" / "op.c").read_text()
    for sample in random_inputs(model, 10, seed=seed):
        np.testing.assert_array_equal(blocked.run(sample)[0], plain.run(sample)[0])


def wide_conv_model(seed: int) -> bytes:
    """A float conv with 8-20 output channels (full blocks and a remainder), any stride."""
    import tensorflow as tf

    rng = np.random.default_rng(950 + seed)
    h, w, cin, cout = int(rng.integers(3, 9)), int(rng.integers(3, 9)), int(rng.integers(1, 7)), \
        int(rng.integers(8, 21))
    k, stride = int(rng.choice([1, 3])), int(rng.integers(1, 3))
    filters = tf.constant(rng.normal(0, 0.5, (k, k, cin, cout)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (cout,)).astype(np.float32))

    def fn(x):
        return tf.nn.relu(tf.nn.conv2d(x, filters, strides=stride, padding="SAME") + bias)

    return build_tflite(fn, [(1, h, w, cin)], "float", seed=seed)


# int16 activations, int8 weights, int64 bias (16x8)
@pytest.mark.parametrize("seed", range(6))
def test_conv2d_16x8_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    model = conv_model(seed, "16x8")
    assert op_types(model) == ["CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", n=8, seed=seed)


def test_conv2d_16x8_chain_matches_tflm(tf, tflm, tmp_path: Path) -> None:
    """Three 16x8 convolutions in a row (the int16 path never runs in place)."""
    model = chained_model(0, "16x8")
    assert op_types(model) == ["CONV_2D"] * 3
    assert_matches_tflm(model, tmp_path / "op", n=8)


@pytest.mark.parametrize("seed", range(3))
def test_conv2d_16x8_pointwise_in_place_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    """1x1 (2 -> c) -> 1x1 (c -> c2 <= c) -> 1x1 (c2 -> 3): the middle one overwrites its
    input pixel by pixel (one pixel of scratch)."""
    import tensorflow as tf

    rng = np.random.default_rng(900 + seed)
    h, w, c = int(rng.integers(2, 9)), int(rng.integers(2, 9)), int(rng.integers(3, 16))
    c2 = int(rng.integers(1, c + 1))
    filters = [tf.constant(rng.normal(0, 0.5, shape).astype(np.float32))
               for shape in ((1, 1, 2, c), (1, 1, c, c2), (1, 1, c2, 3))]

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, filters[0], 1, "VALID"))
        y = tf.nn.relu(tf.nn.conv2d(y, filters[1], 1, "VALID"))
        return tf.nn.conv2d(y, filters[2], 1, "VALID")

    model = build_tflite(fn, [(1, h, w, 2)], "16x8", seed=seed)
    assert op_types(model) == ["CONV_2D"] * 3
    assert_matches_tflm(model, tmp_path / "op", n=8, seed=seed)
    calls = [line for line in (tmp_path / "op" / "op.c").read_text().splitlines()
             if "mf_conv2d_s16(&p" in line]
    assert sum(not c.rstrip().endswith("NULL); }") for c in calls) == 1, "not in place"


def test_conv2d_16x8_many_input_channels_matches_tflm(tf, tflm, tmp_path: Path) -> None:
    """3x3 over 150 input channels, SAME: a filter row has more products than one int32
    partial sum takes (the kernel then adds every 128 into the int64 accumulator)."""
    rng = np.random.default_rng(77)
    filters = tf.constant(rng.normal(0, 0.2, (3, 3, 150, 5)).astype(np.float32))
    model = build_tflite(lambda x: tf.nn.conv2d(x, filters, 1, "SAME"), [(1, 4, 5, 150)],
                         "16x8", seed=3)
    assert op_types(model) == ["CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", n=6)


def expanding_chain_model(seed: int) -> bytes:
    """conv 3x3 -> conv 1x1 expanding (c -> 3c or 5c) -> conv 1x1: the expanding pointwise
    runs in place, its input at the start of its output's memory (written last pixel first)."""
    import tensorflow as tf

    rng = np.random.default_rng(1300 + seed)
    # odd channel counts: the last 1x1 then takes no DSP variant, whose scratch (planned for
    # every core) would make another op the arena's peak and the in-place run pointless
    h, w = int(rng.integers(5, 14)), int(rng.integers(5, 14))
    c, grow = int(rng.choice([5, 7, 9, 11])), int(rng.choice([3, 5]))
    first = tf.constant(rng.normal(0, 0.5, (3, 3, 2, c)).astype(np.float32))
    expand = tf.constant(rng.normal(0, 0.5, (1, 1, c, grow * c)).astype(np.float32))
    last = tf.constant(rng.normal(0, 0.5, (1, 1, grow * c, 3)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, first, 1, "SAME"))
        y = tf.nn.relu(tf.nn.conv2d(y, expand, 1, "VALID"))
        return tf.nn.conv2d(y, last, 1, "VALID")

    return build_tflite(fn, [(1, h, w, 2)], "int8", seed=seed)


@pytest.mark.parametrize("seed", range(5))
def test_expanding_pointwise_in_place_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    from microforge.runners.host import compile_and_load
    from microforge.runners.tflm import run_tflm_batch
    from tests.ops.tflite_build import random_inputs

    model = expanding_chain_model(seed)
    assert op_types(model) == ["CONV_2D", "CONV_2D", "CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    calls = [line for line in (tmp_path / "op" / "op.c").read_text().splitlines()
             if "mf_conv2d_s8_1x1(&p" in line]
    assert not calls[0].rstrip().endswith("NULL); }"), "the expanding 1x1 did not run in place"
    compiled = compile_and_load(model)
    plan = compiled.memory_plan
    (src, out), = [pair for op, pair in plan.inplace.items() if op == 1]
    assert plan.tensor_offsets[src] == plan.tensor_offsets[out]
    assert compiled.arena_size < plan.tensors[src].size + plan.tensors[out].size
    sample = random_inputs(model, 1, seed=seed)
    got = compiled.sanitized().run(sample[0])
    np.testing.assert_array_equal(got[0], run_tflm_batch(model, sample)[0][0])
