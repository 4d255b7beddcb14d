"""The structure-aware fuzzer over the ops added for TFLM coverage (issue 10): small models
of each op (TF converter, float32 and int8) are mutated as the shared models are; every mutant
is a clean one-line rejection or C that is ASan/UBSan clean, never a crash or a hang."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fuzz.run import run
from tests.fuzz.test_structured_fuzz import _assert_clean
from tests.ops.tflite_build import build_tflite


def _prelu(tf) -> Callable:
    layer = tf.keras.layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.25),
                                  shared_axes=[1])
    layer.build([None, 2, 3])
    return layer


def _builders(tf) -> dict[str, tuple[Callable, list[list[int]], str]]:
    """op -> (function, input shapes, "float" | "int8"): one model each."""
    return {
        "FLOOR_DIV": (lambda a, b: tf.math.floordiv(a, b), [[2, 1, 7], [3, 1]], "float"),
        "FLOOR_MOD": (lambda a, b: tf.math.floormod(a, b), [[4, 3], [3]], "float"),
        "ABS": (tf.math.abs, [[3, 5]], "int8"),
        "RSQRT": (tf.math.rsqrt, [[3, 5]], "float"),
        "SQUARED_DIFFERENCE": (tf.math.squared_difference, [[2, 3, 4], [4]], "int8"),
        "DIV": (lambda a, b: tf.math.divide(a, b), [[2, 3], [3]], "float"),
        "PRELU": (_prelu(tf), [[1, 2, 3]], "int8"),
        "LOG_SOFTMAX": (tf.nn.log_softmax, [[2, 5]], "float"),
        "L2_NORMALIZATION": (lambda x: tf.math.l2_normalize(x, axis=-1), [[2, 5]], "float"),
        "RESIZE_NEAREST_NEIGHBOR": (lambda x: tf.compat.v1.image.resize_nearest_neighbor(
            x, (5, 3), half_pixel_centers=True), [[1, 2, 3, 2]], "int8"),
        "SLICE": (lambda a: tf.slice(a, [0, 1], [2, 3]), [[3, 5]], "int8"),
        "GATHER": (lambda a: tf.gather(a, [2, 0, 1], axis=1), [[2, 4]], "int8"),
        "PACK": (lambda a, b: tf.stack([a, b], axis=1), [[2, 3], [2, 3]], "float"),
        "ARG_MAX": (lambda a: tf.math.argmax(a, axis=1, output_type=tf.int32), [[3, 5]],
                    "int8"),
        "REDUCE_MAX": (lambda a: tf.reduce_max(a, axis=1), [[3, 5]], "int8"),
        "DEPTH_TO_SPACE": (lambda a: tf.nn.depth_to_space(a, 2), [[1, 2, 2, 8]], "int8"),
        "MIRROR_PAD": (lambda a: tf.pad(a, [[0, 0], [1, 1], [2, 2], [0, 0]], mode="REFLECT"),
                       [[1, 4, 5, 2]], "float"),
    }


def _models(tf, out: Path) -> list[Path]:
    from microforge.ir.tflite_reader import read_tflite

    paths = []
    for op, (fn, shapes, mode) in _builders(tf).items():
        data = build_tflite(fn, shapes, mode)
        assert op in [o.op_type for o in read_tflite(data).operators], op
        path = out / f"{op.lower()}_{mode}.tflite"
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.mark.slow
def test_fuzz_new_ops(tf, tmp_path: Path) -> None:
    """300 mutants over the new ops' models; every 4th compiled one under ASan/UBSan."""
    models = _models(tf, tmp_path)
    result = run(models, seed=23, count=300, workers=2, sanitize_every=4, timeout=900)
    _assert_clean(result, 300)


def _models_16x8(tf, out: Path) -> list[Path]:
    """One 16x8 model (int16 activations, int8 weights, int64 biases) per int16 kernel family:
    fully connected + softmax, conv + depthwise + pooling, add/mul/sub."""
    import numpy as np

    rng = np.random.default_rng(5)
    w = tf.constant(rng.normal(0, 0.4, (12, 5)).astype(np.float32))
    conv = tf.constant(rng.normal(0, 0.4, (3, 3, 2, 4)).astype(np.float32))
    dw = tf.constant(rng.normal(0, 0.4, (3, 3, 4, 1)).astype(np.float32))
    builders = {
        "fc_softmax": (lambda x: tf.nn.softmax(tf.nn.relu(tf.matmul(x, w))), [[2, 12]]),
        "conv_dw_pool": (lambda x: tf.nn.max_pool2d(tf.nn.avg_pool2d(tf.nn.depthwise_conv2d(
            tf.nn.relu(tf.nn.conv2d(x, conv, 1, "SAME")), dw, [1, 1, 1, 1], "SAME"), 2, 1,
            "VALID"), 2, 1, "VALID"), [[1, 6, 5, 2]]),
        "add_mul_sub": (lambda a, b: (a + b) * a - b, [[2, 1, 7], [3, 7]]),
    }
    paths = []
    for name, (fn, shapes) in builders.items():
        path = out / f"{name}_16x8.tflite"
        path.write_bytes(build_tflite(fn, shapes, "16x8"))
        paths.append(path)
    return paths


@pytest.mark.slow
def test_fuzz_16x8_ops(tf, tmp_path: Path) -> None:
    """120 mutants over 16x8 models; every 4th compiled one under ASan/UBSan."""
    models = _models_16x8(tf, tmp_path)
    result = run(models, seed=29, count=120, workers=1, sanitize_every=4, timeout=900)
    _assert_clean(result, 120)


def _signal_models(shared_data: Path, out: Path) -> list[Path]:
    """The two audio preprocessor models and single-op models of the signal ops that are not in
    them (Irfft, Delay, Framer, Stacker, OverlapAdd)."""
    import numpy as np

    from tests.ops.signal_build import Spec, signal_model

    folder = shared_data / "models/tflm_micro_speech"
    paths = [folder / "audio_preprocessor_int8.tflite", folder / "audio_preprocessor_float.tflite"]
    singles = {
        "irfft": signal_model("SignalIrfft", [Spec((1, 18), "int16")], [Spec((1, 16), "int16")],
                              {"T": 7, "fft_length": 16}),
        "delay": signal_model("SignalDelay", [Spec((2, 8), "int16")], [Spec((2, 8), "int16")],
                              {"delay_length": 5}),
        "framer": signal_model("SignalFramer", [Spec((1, 8), "int16")],
                               [Spec((1, 2, 6), "int16"), Spec((), "bool")],
                               {"frame_size": 6, "frame_step": 4, "prefill": True}),
        "stacker": signal_model("SignalStacker", [Spec((4,), "int16")],
                                [Spec((12,), "int16"), Spec((), "bool")],
                                {"num_channels": 4, "stacker_left_context": 1,
                                 "stacker_right_context": 1, "stacker_step": 1}),
        "overlap_add": signal_model("SignalOverlapAdd", [Spec((2, 8), "float32")],
                                    [Spec((8,), "float32")], {"T": 0, "frame_step": 4}),
    }
    for name, data in singles.items():
        path = out / f"signal_{name}.tflite"
        path.write_bytes(data)
        paths.append(path)
    assert np.all([p.is_file() for p in paths])
    return paths


@pytest.mark.slow
def test_fuzz_signal_ops(shared_data: Path, tmp_path: Path) -> None:
    """400 mutants over the signal-op models (custom FlexBuffer options mutated too); every
    4th compiled one under ASan/UBSan."""
    models = _signal_models(shared_data, tmp_path)
    result = run(models, seed=31, count=400, workers=2, sanitize_every=4, timeout=900)
    _assert_clean(result, 400)
