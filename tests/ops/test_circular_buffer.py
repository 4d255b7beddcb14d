"""CIRCULAR_BUFFER against TFLM over streams of invokes: the buffer (its entries once TFLM's
arena-initialised ones have been pushed out), the model after it running every cycles_max-th
invoke (invoke otherwise stops early: MF_CIRCULAR_BUFFER_WAITING), reset, and the refusals.
Where TFLM's result depends on its arena plan (the buffer's first contents, the outputs after
an early stop) the expected values come from the op's definition instead."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ModelError, UnsupportedOpError
from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm, tflm_interpreter
from tests.fuzz.schema import pack, schema, unpack
from tests.ops.signal_build import Spec, signal_model

SLOTS, H, D = 3, 1, 4


def _buffer_model(cycles_max: object = 2, shape_in=(1, 1, H, D), slots: int = SLOTS) -> bytes:
    options = {} if cycles_max is None else {"cycles_max": cycles_max}
    return signal_model("CIRCULAR_BUFFER", [Spec(shape_in, "int8")],
                        [Spec((1, slots, H, D), "int8")], options)


def _pooled_model(cycles_max: int) -> bytes:
    """CIRCULAR_BUFFER -> MAX_POOL_2D over the whole buffer (a streaming layer's shape)."""
    s = schema()
    model = unpack(_buffer_model(cycles_max))
    pooled = s.TensorT()
    pooled.shape, pooled.type, pooled.name, pooled.buffer = [1, 1, H, D], 9, "pooled", 0
    sub = model.subgraphs[0]
    sub.tensors.append(pooled)
    for t in sub.tensors:
        q = s.QuantizationParametersT()
        q.scale, q.zeroPoint = [0.05], [-3]
        t.quantization = q
    code = s.OperatorCodeT()
    code.builtinCode = code.deprecatedBuiltinCode = 17  # MAX_POOL_2D
    code.version = 1
    model.operatorCodes.append(code)
    pool = s.OperatorT()
    pool.opcodeIndex, pool.inputs, pool.outputs = 1, [1], [2]
    options = s.Pool2DOptionsT()
    options.padding, options.strideW, options.strideH = 1, 1, 1  # VALID
    options.filterWidth, options.filterHeight = 1, SLOTS
    pool.builtinOptionsType, pool.builtinOptions = 5, options  # Pool2DOptions
    sub.operators.append(pool)
    sub.outputs = [2]
    return pack(model)


def _stream(n: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(-128, 128, size=(1, 1, H, D)).astype(np.int8) for _ in range(n)]


@pytest.mark.parametrize("cycles_max", [1, 2, 3])
def test_the_buffer_matches_tflm(tflm, tmp_path, cycles_max: int) -> None:
    model = _buffer_model(cycles_max)
    ours, interpreter = compile_and_load(model, tmp_path, "cb"), tflm_interpreter(model)
    for k, x in enumerate(_stream(9)):
        reference = run_tflm(model, [x], interpreter)[0]
        got = ours.run([x])[0]
        filled = min(k + 1, SLOTS) * H * D  # TFLM's older entries are its arena's contents
        np.testing.assert_array_equal(got.reshape(-1)[-filled:], reference.reshape(-1)[-filled:])
        assert ours.stopped_early == ((k + 1) % cycles_max != 0)


def test_the_rest_of_the_model_runs_every_cycles_max_invokes(tflm, tmp_path) -> None:
    model = _pooled_model(cycles_max=2)
    ours, interpreter = compile_and_load(model, tmp_path, "cb"), tflm_interpreter(model)
    stream = _stream(10, seed=1)
    pooled = []
    for k, x in enumerate(stream):
        reference = run_tflm(model, [x], interpreter)[0]
        got = ours.run([x])[0]
        assert ours.stopped_early == (k % 2 == 0)
        # compared on the invokes that ran the pool, from the first whose buffer holds real
        # inputs in TFLM too; after an early stop TFLM's output tensor holds whatever its
        # arena planner put there (another tensor's bytes), ours the last result
        if k >= 3 and k % 2:
            np.testing.assert_array_equal(got, reference)
        pooled.append(got.copy())
    # an early stop leaves the output of the last run (every second invoke runs the pool)
    assert all(np.array_equal(pooled[k], pooled[k - 1]) for k in range(2, 10, 2))
    expected = np.max(np.stack(stream[5:8]).astype(np.int32), axis=0).reshape(1, 1, H, D)
    np.testing.assert_array_equal(pooled[7], expected)


def test_reset_clears_the_buffer_and_the_count(tflm, tmp_path) -> None:
    ours = compile_and_load(_buffer_model(3), tmp_path, "cb")
    x = _stream(1)[0]
    ours.run([x])
    ours.run([x])
    ours.reset()
    got = ours.run([x])[0].reshape(SLOTS, -1)
    assert not got[:-1].any() and np.array_equal(got[-1], x.reshape(-1))
    assert ours.stopped_early  # the count starts again at 0


@pytest.mark.parametrize(("model", "error", "message"), [
    (lambda: _buffer_model(None), UnsupportedOpError, "cycles_max None: TFLM derives"),
    (lambda: _buffer_model(0), UnsupportedOpError, "cycles_max 0"),
    (lambda: _buffer_model(2, shape_in=(1, 2, H, D)), ModelError, r"\[1, 1, h, d\]"),
])
def test_what_tflm_does_not_define_is_refused(tmp_path, model, error, message) -> None:
    with pytest.raises(error, match=message) as raised:
        compile_and_load(model(), tmp_path, "cb")
    assert "\n" not in str(raised.value)
