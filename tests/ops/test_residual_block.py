"""MF_RESIDUAL_BLOCK and MF_CONV_ADD (float residual blocks fused and streamed) vs TFLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite, random_inputs
from tests.ops.tflm_compare import op_types


def residual_model(seed: int, skip_conv: bool = False, tiny: bool = False) -> bytes:
    """x -> conv (relu) -> conv -> add(x, .) -> relu; with skip_conv the block downsamples
    (stride-2 first conv) and the shortcut is a 1x1 stride-2 conv (ResNet-8's blocks 2-3)."""
    import tensorflow as tf

    rng = np.random.default_rng(1300 + seed)
    h, w = (1, 2) if tiny else (int(rng.integers(6, 13)), int(rng.integers(4, 10)))
    c, k = int(rng.integers(8, 20)), int(rng.choice([1, 3, 5]))
    c_mid = int(rng.integers(8, 20))
    c_out = c + 8 if skip_conv else c
    stem = tf.constant(rng.normal(0, 0.5, (1, 1, 2, c)).astype(np.float32))
    f1 = tf.constant(rng.normal(0, 0.3, (k, k, c, c_mid)).astype(np.float32))
    f2 = tf.constant(rng.normal(0, 0.3, (k, k, c_mid, c_out)).astype(np.float32))
    b1 = tf.constant(rng.normal(0, 0.2, (c_mid,)).astype(np.float32))
    b2 = tf.constant(rng.normal(0, 0.2, (c_out,)).astype(np.float32))
    fs = tf.constant(rng.normal(0, 0.3, (1, 1, c, c_out)).astype(np.float32))
    stride = 2 if skip_conv else 1
    swap = bool(seed % 2)

    def fn(x):
        x = tf.nn.relu(tf.nn.conv2d(x, stem, 1, "VALID"))
        y = tf.nn.relu(tf.nn.conv2d(x, f1, stride, "SAME") + b1)
        y = tf.nn.conv2d(y, f2, 1, "SAME") + b2
        s = tf.nn.conv2d(x, fs, stride, "SAME") if skip_conv else x
        return tf.nn.relu(y + s if swap else s + y)

    return build_tflite(fn, [(1, h, w, 2)], "float", seed=seed)


def _compile_both(model: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from microforge.codegen import compiler
    from microforge.runners.host import CompiledModel

    fused = CompiledModel(compiler.compile_model(model, tmp_path / "fused", "op"))
    monkeypatch.setattr(compiler, "FUSIONS", ())
    plain = CompiledModel(compiler.compile_model(model, tmp_path / "plain", "op"))
    return fused, plain


@pytest.mark.parametrize("seed", range(4))
def test_residual_block_equals_tflm_bit_for_bit(tf, tflm, tmp_path: Path, seed: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.runners.tflm import run_tflm_batch

    model = residual_model(seed)
    assert op_types(model).count("CONV_2D") == 3 and "ADD" in op_types(model)
    fused, plain = _compile_both(model, tmp_path, monkeypatch)
    assert [s.op_type for s in fused.info.ops] == ["CONV_2D", "MF_RESIDUAL_BLOCK"]
    assert fused.arena_size < plain.arena_size
    samples = random_inputs(model, 8, seed=seed)
    for sample, ref in zip(samples, run_tflm_batch(model, samples), strict=True):
        np.testing.assert_array_equal(fused.run(sample)[0], ref[0])
        np.testing.assert_array_equal(plain.run(sample)[0], ref[0])


@pytest.mark.parametrize("seed", range(4))
def test_conv_add_equals_tflm_bit_for_bit(tf, tflm, tmp_path: Path, seed: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.runners.tflm import run_tflm_batch

    model = residual_model(seed, skip_conv=True)
    fused, plain = _compile_both(model, tmp_path, monkeypatch)
    assert "MF_CONV_ADD" in [s.op_type for s in fused.info.ops]
    assert fused.arena_size <= plain.arena_size
    samples = random_inputs(model, 8, seed=seed)
    for sample, ref in zip(samples, run_tflm_batch(model, samples), strict=True):
        np.testing.assert_array_equal(fused.run(sample)[0], ref[0])
    fused.sanitized().run(samples[0])


def test_fusion_is_dropped_when_it_would_cost_ram(tf, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """One row: the band and the row scratch outweigh the tensors saved; compile_model keeps
    the unfused plan (the arena never grows because of a fusion)."""
    model = residual_model(0, tiny=True)
    fused, plain = _compile_both(model, tmp_path, monkeypatch)
    assert fused.arena_size <= plain.arena_size
    sample = random_inputs(model, 1, seed=0)[0]
    np.testing.assert_array_equal(fused.run(sample)[0], plain.run(sample)[0])
