"""DEPTHWISE_CONV_2D vs TFLM on generated single-op models (any depth multiplier)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def depthwise_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(100 + seed)
    h, w = int(rng.integers(3, 12)), int(rng.integers(3, 12))
    cin, mult = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    dilated = rng.random() < 0.3
    stride = 1 if dilated else int(rng.integers(1, 3))
    dilation = 2 if dilated else 1
    padding = "SAME" if rng.random() < 0.5 else "VALID"
    if padding == "VALID":
        h, w = max(h, (kh - 1) * dilation + 1), max(w, (kw - 1) * dilation + 1)
    act = ["NONE", "RELU", "RELU6"][int(rng.integers(0, 3))]
    filters = tf.constant(rng.normal(0, 0.5, (kh, kw, cin, mult)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (cin * mult,)).astype(np.float32))

    def fn(x):
        y = tf.nn.depthwise_conv2d(x, filters, strides=[1, stride, stride, 1], padding=padding,
                                   dilations=[dilation, dilation]) + bias
        return {"NONE": y, "RELU": tf.nn.relu(y), "RELU6": tf.nn.relu6(y)}[act]

    return build_tflite(fn, [(1, h, w, cin)], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_depthwise_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = depthwise_model(seed, mode)
    assert op_types(model) == ["DEPTHWISE_CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 15))
def test_depthwise_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = depthwise_model(seed, mode)
    assert op_types(model) == ["DEPTHWISE_CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


def chained_model(seed: int, mode: str = "int8") -> bytes:
    """conv 1x1 -> depthwise (stride 1) -> conv 1x1: the depthwise runs in place in the arena."""
    import tensorflow as tf

    rng = np.random.default_rng(600 + seed)
    h, w, c = int(rng.integers(3, 10)), int(rng.integers(3, 10)), int(rng.integers(2, 20))
    k = int(rng.choice([1, 3, 5]))
    h = max(h, k)
    padding = "SAME" if seed % 3 else "VALID"
    first = tf.constant(rng.normal(0, 0.5, (1, 1, 2, c)).astype(np.float32))
    dw = tf.constant(rng.normal(0, 0.5, (k, 1 if padding == "VALID" else k, c, 1))
                     .astype(np.float32))
    last = tf.constant(rng.normal(0, 0.5, (1, 1, c, 3)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, first, 1, "VALID"))
        y = tf.nn.relu(tf.nn.depthwise_conv2d(y, dw, [1, 1, 1, 1], padding))
        return tf.nn.conv2d(y, last, 1, "VALID")

    return build_tflite(fn, [(1, h, w, 2)], mode, seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2, 4, 5])
def test_depthwise_in_place_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    model = chained_model(seed)
    assert op_types(model) == ["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    source = (tmp_path / "op" / "op.c").read_text()
    call = next(line for line in source.splitlines() if "mf_depthwise_conv2d_s8(&p" in line)
    assert not call.rstrip().endswith("NULL); }"), "the depthwise did not run in place"


@pytest.mark.parametrize("seed", range(4))
def test_single_channel_float_vector_path_equals_tflm_exactly(tf, tflm, tmp_path: Path,
                                                              seed: int) -> None:
    """One input channel, multiplier 8 or 16 (magic_wand's first layer): the SIMD-lane path of
    mf_depthwise_conv2d_f32 adds each output's taps in the reference order, so it equals TFLM's
    float reference bit for bit."""
    from microforge.runners.host import compile_and_load
    from microforge.runners.tflm import run_tflm_batch
    from tests.ops.tflite_build import random_inputs

    rng = np.random.default_rng(1200 + seed)
    h, w = int(rng.integers(3, 20)), int(rng.integers(1, 5))
    kh, kw, mult = int(rng.integers(1, 5)), int(rng.integers(1, w + 1)), 8 * (1 + seed % 2)
    filters = tf.constant(rng.normal(0, 0.5, (kh, kw, 1, mult)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (mult,)).astype(np.float32))
    padding = "SAME" if seed < 2 else "VALID"

    def fn(x):
        return tf.nn.relu(tf.nn.depthwise_conv2d(x, filters, [1, 1, 1, 1], padding) + bias)

    model = build_tflite(fn, [(1, h, w, 1)], "float", seed=seed)
    compiled = compile_and_load(model, tmp_path / "op", "op")
    samples = random_inputs(model, 10, seed=seed)
    for sample, ref in zip(samples, run_tflm_batch(model, samples), strict=True):
        np.testing.assert_array_equal(compiled.run(sample)[0], ref[0])


@pytest.mark.parametrize("seed", range(6))
def test_depthwise_16x8_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    """int16 activations, int8 weights, int64 bias (16x8), any depth multiplier."""
    model = depthwise_model(seed, "16x8")
    assert op_types(model) == ["DEPTHWISE_CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", n=8, seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2, 4, 5])
def test_depthwise_16x8_in_place_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    """16x8: the depthwise overwrites its input through a ring of rows."""
    model = chained_model(seed, "16x8")
    assert op_types(model) == ["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D"]
    assert_matches_tflm(model, tmp_path / "op", n=8, seed=seed)
    source = (tmp_path / "op" / "op.c").read_text()
    call = next(line for line in source.splitlines() if "mf_depthwise_conv2d_s16(&p" in line)
    assert not call.rstrip().endswith("NULL); }"), "the depthwise did not run in place"


def strided_chain_model(seed: int) -> bytes:
    """conv 1x1 -> depthwise stride 2 or 3 -> conv 1x1: the strided depthwise may run in place
    (its rows copied over input rows no later row reads) when the geometry allows it."""
    import tensorflow as tf

    rng = np.random.default_rng(900 + seed)
    h, w, c = int(rng.integers(4, 16)), int(rng.integers(4, 16)), int(rng.integers(2, 17))
    k, stride = int(rng.choice([1, 3, 5])), 2 + int(seed % 4 == 3)
    padding = "SAME" if seed % 2 == 0 else "VALID"
    h, w = max(h, k), max(w, k)
    first = tf.constant(rng.normal(0, 0.5, (1, 1, 2, c)).astype(np.float32))
    dw = tf.constant(rng.normal(0, 0.5, (k, k, c, 1)).astype(np.float32))
    last = tf.constant(rng.normal(0, 0.5, (1, 1, c, 3)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, first, 1, "VALID"))
        y = tf.nn.relu(tf.nn.depthwise_conv2d(y, dw, [1, stride, stride, 1], padding))
        return tf.nn.conv2d(y, last, 1, "VALID")

    return build_tflite(fn, [(1, h, w, 2)], "int8", seed=seed)


def test_strided_depthwise_in_place_matches_tflm(tf, tflm, tmp_path: Path) -> None:
    """12 geometries (stride 2 and 3, SAME and VALID, 1x1 to 5x5): bit-exact with TFLM on 20
    inputs each, and under ASan/UBSan; the ones whose geometry allows it (checked by
    DepthwiseParams.strided_in_place) run in place, in an arena smaller than input + output."""
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.host import compile_and_load
    from microforge.runners.tflm import run_tflm_batch
    from tests.ops.tflite_build import random_inputs

    in_place = 0
    for seed in range(12):
        model = strided_chain_model(seed)
        assert op_types(model) == ["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D"]
        out = tmp_path / f"m{seed}"
        assert_matches_tflm(model, out, seed=seed)
        call = next(line for line in (out / "op.c").read_text().splitlines()
                    if "mf_depthwise_conv2d_s8(&p" in line)
        if not call.rstrip().endswith("NULL); }"):
            in_place += 1
            graph = read_tflite(model)
            dw_in, dw_out = (graph.tensors[t].nbytes for t in
                             (graph.operators[1].inputs[0], graph.operators[1].outputs[0]))
            compiled = compile_and_load(model)
            assert compiled.arena_size < dw_in + dw_out
            sample = random_inputs(model, 1, seed=seed)
            got = compiled.sanitized().run(sample[0])
            np.testing.assert_array_equal(got[0], run_tflm_batch(model, sample)[0][0])
    assert in_place >= 6, f"only {in_place} of 12 strided depthwise ran in place"
