"""VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE / CALL_ONCE vs TFLM: a converter-built
streaming model (two tf.Variables, an init subgraph) in float32 and int8, over a stream of
invokes, then after reset (where TFLM clears the variables to their default and does not run
the init subgraph again: the compiled model does the same)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import assert_same
from tests.ops.resource_models import streaming_model

pytestmark = pytest.mark.slow  # converts TF models (a few seconds each)


@pytest.mark.parametrize("quantize", [False, True], ids=["float32", "int8"])
def test_a_stream_matches_tflm_and_reset_as_tflm(tf, tflm, tmp_path: Path,
                                                  quantize: bool) -> None:
    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data = streaming_model(quantize)
    model = microforge.compile(data, tmp_path / "out")
    ops = {op.op_type for op in model.info.ops}
    assert {"CALL_ONCE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE"} <= ops
    assert model.info.state_size >= 16 + 48  # two float variables and the CALL_ONCE flag
    scale, zero_point = model.input_details(0)["quantization"]
    rng = np.random.default_rng(4)
    stream = []
    for _ in range(8):
        x = rng.normal(0, 1, (1, 4)).astype(np.float32)
        if quantize:
            x = np.clip(np.round(x / scale) + zero_point, -128, 127).astype(np.int8)
        stream.append(x)
    interp = tflm_interpreter(data)
    outputs = []
    for k, x in enumerate(stream):
        expected = run_tflm(data, [x], interp)
        assert_same(expected, model.run([x]), f"invoke {k}")
        outputs.append(expected[0])
    assert not np.array_equal(outputs[0], run_tflm(data, [stream[0]], interp)[0])  # stateful
    model.run([stream[0]])
    interp.reset()
    model.reset()
    for k, x in enumerate(stream[:3]):
        assert_same(run_tflm(data, [x], interp), model.run([x]), f"after reset {k}")


def test_a_subgraph_that_nothing_calls_is_refused(tf, tmp_path: Path) -> None:
    """A subgraph that is neither an IF / WHILE branch or body (those compile:
    tests/ops/test_control_flow.py) nor a CALL_ONCE init subgraph: one line naming it."""
    from microforge.errors import ModelError
    from microforge.ir.tflite_reader import read_tflite
    from tests.fuzz.schema import pack, unpack
    from tests.ops.control_flow_models import while_model

    model = unpack(while_model())
    loop = next(op for op in model.subgraphs[0].operators if op.builtinOptions is not None
                and hasattr(op.builtinOptions, "condSubgraphIndex"))
    loop.builtinOptions.condSubgraphIndex, loop.builtinOptions.bodySubgraphIndex = 7, 8
    with pytest.raises(ModelError, match="subgraph 1 .* is neither the branch or loop body of "
                                         "an IF / WHILE nor a CALL_ONCE init subgraph"):
        read_tflite(pack(model))
