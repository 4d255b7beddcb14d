"""MF_DEPTHWISE_FC (DEPTHWISE_CONV_2D -> FULLY_CONNECTED fused, int8) vs TFLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def depthwise_fc_model(seed: int, mode: str = "int8") -> bytes:
    """depthwise (random geometry, multiplier, activation) -> flatten -> dense."""
    import tensorflow as tf

    rng = np.random.default_rng(300 + seed)
    h, w = int(rng.integers(2, 12)), int(rng.integers(2, 10))
    cin, mult = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    stride = int(rng.integers(1, 3))
    padding = "SAME" if seed % 2 else "VALID"
    if padding == "VALID":
        h, w = max(h, kh), max(w, kw)
    units = int(rng.integers(1, 7))
    act = ["NONE", "RELU", "RELU6"][seed % 3]
    filters = tf.constant(rng.normal(0, 0.5, (kh, kw, cin, mult)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (cin * mult,)).astype(np.float32))
    out_h = (h + stride - 1) // stride if padding == "SAME" else (h - kh + stride) // stride
    out_w = (w + stride - 1) // stride if padding == "SAME" else (w - kw + stride) // stride
    dense = tf.constant(rng.normal(0, 0.3, (out_h * out_w * cin * mult, units))
                        .astype(np.float32))
    dense_bias = tf.constant(rng.normal(0, 0.2, (units,)).astype(np.float32))

    def fn(x):
        y = tf.nn.depthwise_conv2d(x, filters, strides=[1, stride, stride, 1],
                                   padding=padding) + bias
        y = {"NONE": y, "RELU": tf.nn.relu(y), "RELU6": tf.nn.relu6(y)}[act]
        return tf.matmul(tf.reshape(y, (1, -1)), dense) + dense_bias

    return build_tflite(fn, [(1, h, w, cin)], mode, seed=seed)


@pytest.mark.parametrize("seed", range(6))
def test_depthwise_fc_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    model = depthwise_fc_model(seed)
    assert op_types(model) == ["DEPTHWISE_CONV_2D", "RESHAPE", "FULLY_CONNECTED"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    source = (tmp_path / "op" / "op.c").read_text()
    assert "mf_depthwise_fc_s8(&dw, &fc" in source and "mf_depthwise_conv2d_s8(&p" not in source


def test_float_is_not_fused(tf, tflm, tmp_path: Path) -> None:
    model = depthwise_fc_model(1, "float")
    assert_matches_tflm(model, tmp_path / "op")
    assert "mf_depthwise_fc" not in (tmp_path / "op" / "op.c").read_text()


def test_fused_depthwise_output_takes_no_arena(tf, tmp_path: Path) -> None:
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.host import compile_and_load

    model = depthwise_fc_model(2)
    graph = read_tflite(model)
    compiled = compile_and_load(model, tmp_path / "op", "op")
    assert [s.op_type for s in compiled.info.ops] == ["MF_DEPTHWISE_FC"]
    dw_out = graph.tensors[graph.operators[0].outputs[0]]
    fc = graph.operators[2]
    units = graph.tensors[fc.outputs[0]].num_elements
    # scratch: the accumulators and one depthwise output row, never the whole output
    row = dw_out.shape[2] * dw_out.shape[3]
    assert compiled.arena_size <= -(-(4 * units + row) // 16) * 16
    assert compiled.arena_size < dw_out.nbytes or dw_out.shape[1] == 1
