"""REDUCE_ALL vs TFLM (tf.reduce_all): axes, negative axes, keep_dims, bool in and out."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite


@pytest.mark.parametrize(("axes", "keepdims"), [([1], False), ([0, 2], True), ([-1], False),
                                                ([0, 1, 2], False)])
def test_matches_tflm(tf, tflm, tmp_path, axes, keepdims) -> None:
    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    model = build_tflite(lambda x: tf.reduce_all(x > 0.3, axis=axes, keepdims=keepdims),
                         [[3, 4, 5]], "float")
    compiled = microforge.compile(model, tmp_path / "out")
    assert "REDUCE_ALL" in {op.op_type for op in compiled.info.ops}
    rng = np.random.default_rng(len(axes))
    for k in range(4):
        x = rng.uniform(-0.2, 1.0, (3, 4, 5)).astype(np.float32)
        expected = run_tflm(model, [x], tflm_interpreter(model))[0]
        got = compiled.run([x])[0]
        assert expected.dtype == np.bool_ and np.array_equal(got.reshape(expected.shape),
                                                             expected), k
