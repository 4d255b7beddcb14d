"""The SIMD32 (Armv7E-M DSP extension) paths of the int8 CONV_2D (1x1, small-filter patch, long
runs), DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels (runtime/kernels/mf_simd32.h): bit-exact
with TFLM on the emulated Cortex-M4, where they run, on the shapes that reach every branch of
them (odd pixel and channel counts, depths not a multiple of 4, in-place 1x1, padding windows,
stride, dilation, depth multiplier 2), and
proven to be the code that ran (their SMLAD/SMLABB instructions are in the firmware and the
instruction mix counts multiplies). The host build of the same models uses the portable loops."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.mcu import run_model_on_mcu
from microforge.runners.tflm import run_tflm_batch
from microforge.targets.toolchain import find_toolchain, toolchain_available
from tests.ops.tflite_build import build_tflite, random_inputs

needs_arm = pytest.mark.skipif(not toolchain_available("arm"), reason="no arm-none-eabi-gcc")


def _weights(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def _first_layers(tf) -> bytes:
    """Small filters over 1 and 3 channels (the patch path): 10x4 stride 2 over one channel as
    in KWS, then 3x3 stride 2 over 3 channels; then 3x3 over 7 and 18 channels (the run path:
    runs of 14 (scalar), 21 and 54 values, tails of 1 and 2); odd channel counts, SAME."""
    rng = np.random.default_rng(5)
    w1 = _weights(rng, 10, 4, 1, 3)
    w2 = _weights(rng, 3, 3, 3, 7)
    w3 = _weights(rng, 3, 3, 7, 18)
    w4 = _weights(rng, 3, 3, 18, 5)

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, w1, [1, 2, 2, 1], "SAME"))
        y = tf.nn.conv2d(y, w2, [1, 2, 1, 1], "SAME")
        y = tf.nn.relu(tf.nn.conv2d(y, w3, 1, "SAME"))
        return tf.nn.conv2d(y, w4, 1, "SAME")

    return build_tflite(fn, [(1, 15, 9, 1)], "int8", seed=4)


def _dense(tf) -> bytes:
    """FULLY_CONNECTED 37 -> 9 -> 6: input depths not a multiple of 4, unit counts not either."""
    rng = np.random.default_rng(9)
    w1 = _weights(rng, 37, 9)
    w2 = _weights(rng, 9, 6)

    def fn(x):
        return tf.matmul(tf.nn.relu(tf.matmul(x, w1)), w2)

    return build_tflite(fn, [(2, 37)], "int8", seed=6)


def _model(tf) -> bytes:
    rng = np.random.default_rng(7)
    w1 = _weights(rng, 1, 1, 6, 5)  # 1x1, 6 -> 5: in_c % 4 == 2, odd out_c
    d1 = _weights(rng, 3, 3, 5, 1)  # depthwise 3x3 on 5 channels, SAME (border windows)
    w2 = _weights(rng, 1, 1, 5, 8)
    d2 = _weights(rng, 3, 3, 8, 1)  # dilation 2
    w3 = _weights(rng, 1, 1, 8, 8)  # 8 -> 8: in place
    d3 = _weights(rng, 3, 3, 8, 1)  # stride 2, VALID (every window full)
    d4 = _weights(rng, 3, 3, 8, 2)  # depth multiplier 2 (the portable path)

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, w1, 1, "VALID"))
        y = tf.nn.depthwise_conv2d(y, d1, [1, 1, 1, 1], "SAME")
        y = tf.nn.relu(tf.nn.conv2d(y, w2, 1, "VALID"))
        y = tf.nn.depthwise_conv2d(y, d2, [1, 1, 1, 1], "SAME", dilations=[2, 2])
        y = tf.nn.relu6(tf.nn.conv2d(y, w3, 1, "VALID"))
        y = tf.nn.depthwise_conv2d(y, d3, [1, 2, 2, 1], "VALID")
        return tf.nn.depthwise_conv2d(y, d4, [1, 1, 1, 1], "SAME")

    return build_tflite(fn, [(1, 7, 9, 6)], "int8", seed=3)


@needs_arm
@pytest.mark.parametrize(("build", "instructions"), [
    (_model, ("smlad", "smlabb", "smlatt", "sxtab16")),
    (_first_layers, ("smlad", "sxtab16")),
    (_dense, ("smlad", "sxtb16")),
], ids=["pointwise_depthwise", "patch_and_runs", "dense"])
def test_simd32_kernels_match_tflm_on_cortex_m4(tf, tflm, tmp_path: Path, build,
                                                instructions: tuple[str, ...]) -> None:
    model_bytes = build(tf)
    path = tmp_path / "simd.tflite"
    path.write_bytes(model_bytes)
    model = compile_and_load(path, tmp_path / "c", name="simd")
    assert {op.op_type for op in model.info.ops} & {"CONV_2D", "FULLY_CONNECTED"}
    samples = random_inputs(model_bytes, 4, seed=11)
    reference = run_tflm_batch(model_bytes, samples)
    result = run_model_on_mcu(model, "nucleo_l4r5zi", samples, work_dir=tmp_path / "m4")
    host = [model.run(sample) for sample in samples]
    for ours, theirs, on_host in zip(result.outputs, reference, host, strict=True):
        np.testing.assert_array_equal(ours[0], theirs[0])
        np.testing.assert_array_equal(on_host[0], theirs[0])
    tools = find_toolchain("arm")
    listing = subprocess.run([str(tools.objdump), "-d", str(result.image.elf)],
                             capture_output=True, text=True, check=True).stdout
    assert all(f"\t{name}" in listing for name in instructions)
    assert result.mixes[0].counts["mul"] > 0


def _dsp_variants(tf) -> bytes:
    """Every branch of the DSP variants (codegen/variants.py): receptive fields of 40 (10x4 over
    one channel, stride 2), 27 and 18 values (tails of 3 and 2) and 5 (1x5, the 1-D case, tail 1);
    pixel counts not a multiple of 6; 1x1 12 -> 8 (in place), 8 -> 12 (not), 12 -> 5 (odd out);
    depthwise 3x3 on 8 and 12 channels with SAME borders, stride 2, dilation 2, ReLU6 (a clamp
    narrower than int8) and none (the SSAT path); average pools with padding (counts differ)."""
    rng = np.random.default_rng(21)
    c1 = _weights(rng, 10, 4, 1, 8)
    c2 = _weights(rng, 3, 3, 8, 3)
    c3 = _weights(rng, 1, 1, 3, 12)
    c4 = _weights(rng, 3, 3, 2, 6)
    c5 = _weights(rng, 1, 5, 6, 8)
    p1 = _weights(rng, 1, 1, 8, 12)
    d1 = _weights(rng, 3, 3, 12, 1)
    p2 = _weights(rng, 1, 1, 12, 8)
    d2 = _weights(rng, 3, 3, 8, 1)
    d3 = _weights(rng, 3, 3, 8, 1)
    p3 = _weights(rng, 1, 1, 8, 5)

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, c1, [1, 2, 2, 1], "SAME"))  # 40 values: no tail
        y = tf.nn.conv2d(y, c2, 1, "SAME")[..., :3]  # 72 values
        y = tf.nn.conv2d(y, c3, 1, "VALID")  # 1x1 over 3 channels: portable
        y = tf.nn.relu(y[..., :2])
        y = tf.nn.conv2d(y, c4, 1, "SAME")  # 18 values: tail 2
        y = tf.nn.relu6(tf.nn.conv2d(y, c5, 1, "SAME"))  # 1x5 over 6: 30 values, tail 2
        y = tf.nn.conv2d(y, p1, 1, "VALID")  # 8 -> 12: not in place
        y = tf.nn.relu(tf.nn.depthwise_conv2d(y, d1, [1, 1, 1, 1], "SAME"))
        y = tf.nn.conv2d(y, p2, 1, "VALID")  # 12 -> 8: in place
        y = tf.nn.relu6(tf.nn.depthwise_conv2d(y, d2, [1, 1, 1, 1], "SAME", dilations=[2, 2]))
        y = tf.nn.depthwise_conv2d(y, d3, [1, 2, 2, 1], "SAME")
        y = tf.nn.avg_pool2d(y, 3, 1, "SAME")
        return tf.nn.conv2d(y, p3, 1, "VALID")  # 8 -> 5

    return build_tflite(fn, [(1, 21, 11, 1)], "int8", seed=8)


def _one_d(tf) -> bytes:
    """A 1-D CNN as TFLite lowers it: 1xK CONV_2D over few channels (receptive fields of 5, 24,
    36 values: a tail of 1, none; a 1x3 over 12 that runs in place: portable), a residual ADD,
    a broadcasting SUB, then an average pool over the time axis."""
    rng = np.random.default_rng(23)
    k1 = _weights(rng, 1, 5, 1, 8)
    k2 = _weights(rng, 1, 3, 8, 12)
    k3 = _weights(rng, 1, 3, 12, 4)
    kr = _weights(rng, 1, 3, 12, 12)

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, k1, 1, "SAME"))  # 5 values: tail 1
        y = tf.nn.relu(tf.nn.conv2d(y, k2, [1, 1, 2, 1], "VALID"))  # 24 values
        y = y + tf.nn.relu(tf.nn.conv2d(y, kr, 1, "SAME"))  # a same-shape ADD (the variant)
        y = y - y[:, :, :1, :]  # a broadcasting SUB (portable)
        y = tf.nn.conv2d(y, k3, 1, "SAME")  # 36 values
        return tf.nn.avg_pool2d(y, [1, 7], [1, 7], "VALID")

    return build_tflite(fn, [(1, 1, 43, 1)], "int8", seed=9)


def _dense_dsp(tf) -> bytes:
    """FULLY_CONNECTED 36 -> 16 -> 32 -> 20 on two batches (odd and even counts of input words,
    ReLU, ReLU6 and no activation: the SSAT and clamp paths), then 20 -> 3 (portable: 3 % 4)."""
    rng = np.random.default_rng(29)
    w1, w2, w3, w4 = (_weights(rng, 36, 16), _weights(rng, 16, 32), _weights(rng, 32, 20),
                      _weights(rng, 20, 3))

    def fn(x):
        y = tf.nn.relu(tf.matmul(x, w1))
        y = tf.nn.relu6(tf.matmul(y, w2))
        return tf.matmul(tf.matmul(y, w3), w4)

    return build_tflite(fn, [(2, 36)], "int8", seed=10)


DSP_FUNCTIONS = ("mf_conv2d_s8_dsp", "mf_conv2d_s8_1x1_dsp", "mf_depthwise_conv2d_s8_dsp",
                 "mf_average_pool2d_s8_dsp")


@pytest.mark.slow  # ~10 s a model
@needs_arm
@pytest.mark.parametrize(("build", "expected"), [
    (_dsp_variants, DSP_FUNCTIONS),
    (_one_d, ("mf_conv2d_s8_dsp", "mf_average_pool2d_s8_dsp", "mf_add_sub_s8_dsp",
              "mf_add_sub_s8")),
    (_dense_dsp, ("mf_fully_connected_s8_dsp", "mf_fully_connected_s8")),
], ids=["all_variants", "one_d_cnn", "dense"])
def test_dsp_variants_match_tflm_and_run_on_cortex_m4(tf, tflm, tmp_path: Path, build,
                                                      expected: tuple[str, ...]) -> None:
    """Compiled for the board (target=): the DSP variants are the functions that ran (the QEMU
    plugin's per-function counts) and their outputs equal TFLM's; the host build of the same
    model calls the portable kernels only and equals TFLM too."""
    model_bytes = build(tf)
    path = tmp_path / "dsp.tflite"
    path.write_bytes(model_bytes)
    board = "nucleo_l4r5zi"
    on_board = compile_and_load(path, tmp_path / "c_m4", name="dsp", target=board)
    on_host = compile_and_load(path, tmp_path / "c_host", name="dsp")
    samples = random_inputs(model_bytes, 3, seed=13)
    reference = run_tflm_batch(model_bytes, samples)
    result = run_model_on_mcu(on_board, board, samples, work_dir=tmp_path / "m4",
                              functions=True)
    for ours, theirs in zip(result.outputs, reference, strict=True):
        np.testing.assert_array_equal(ours[0], theirs[0])
    for sample, theirs in zip(samples, reference, strict=True):
        np.testing.assert_array_equal(on_host.run(sample)[0], theirs[0])
    ran = result.functions[0]
    assert all(ran.get(name, 0) > 0 for name in expected), {n: ran.get(n) for n in expected}
    generated = (tmp_path / "c_host" / "dsp.c").read_text()
    assert "_dsp(&p" not in generated and "mf_conv2d_s8_dsp" not in on_host.info.kernels


@pytest.mark.slow  # ~20 s
@needs_arm
def test_int8_1d_cnn_runs_fewer_instructions_than_its_float_twin_on_cortex_m4f(
        tf, tmp_path: Path) -> None:
    """Issue 12: an int8 model never runs more instructions than its float32 version on an FPU
    core; a 1-D CNN (1xK CONV_2D over 9 IMU channels, max pool, global mean, dense) on the
    NUCLEO-L4R5ZI's Cortex-M4F, each compiled for that board."""
    rng = np.random.default_rng(3)
    k1, k2, k3 = _weights(rng, 1, 5, 9, 16), _weights(rng, 1, 3, 16, 32), _weights(rng, 1, 3,
                                                                                   32, 32)
    dense = _weights(rng, 32, 6)

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, k1, 1, "SAME"))
        y = tf.nn.max_pool2d(y, [1, 2], [1, 2], "VALID")
        y = tf.nn.relu(tf.nn.conv2d(y, k2, 1, "SAME"))
        y = tf.nn.relu(tf.nn.conv2d(y, k3, 1, "SAME"))
        return tf.matmul(tf.reduce_mean(y, axis=[1, 2]), dense)

    counts = {}
    for mode in ("int8", "float"):
        model_bytes = build_tflite(fn, [(1, 1, 128, 9)], mode, seed=1)
        path = tmp_path / f"{mode}.tflite"
        path.write_bytes(model_bytes)
        model = compile_and_load(path, tmp_path / f"c_{mode}", name="m", target="nucleo_l4r5zi")
        result = run_model_on_mcu(model, "nucleo_l4r5zi", random_inputs(model_bytes, 1, seed=2),
                                  work_dir=tmp_path / f"m4_{mode}")
        counts[mode] = result.instructions[0]
    assert counts["int8"] < counts["float"], counts
