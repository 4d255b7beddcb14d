from __future__ import annotations

import math

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.optimize.layer_error import _match_ops, per_layer_sqnr
from microforge.optimize.ptq import quantize_variant


def _op(op: str, name: str) -> dict:
    return {"index": 0, "op": op, "name": name, "tensor": {}}


def test_ops_match_by_name_then_by_position_within_their_type():
    ref = [_op("CONV_2D", "a"), _op("CONV_2D", "b"), _op("SOFTMAX", "out")]
    quant = [_op("CONV_2D", "b"), _op("CONV_2D", "renamed"), _op("SOFTMAX", "other")]
    pairs = _match_ops(ref, quant)
    assert [r["name"] for r, _ in pairs] == ["b", "b", "out"]
    with pytest.raises(ModelError, match="no FULLY_CONNECTED"):
        _match_ops(ref, [_op("FULLY_CONNECTED", "x")])


@pytest.fixture(scope="module")
def dense(tf):
    from microforge.train.zoo import build_model

    model = build_model("dense", (12,), 3, width=0.5, dropout=0.0, seed=1)
    x = np.random.default_rng(1).normal(size=(40, 12)).astype(np.float32)
    return model, x


def test_one_entry_per_quantized_op_and_float_against_itself_is_exact(dense):
    model, x = dense
    float_bytes = quantize_variant(model, x, "float32")
    assert all(math.isinf(e.sqnr_db) for e in per_layer_sqnr(float_bytes, float_bytes, x))
    errors = per_layer_sqnr(float_bytes, quantize_variant(model, x, "ptq_int8"), x)
    assert [e.op for e in errors] == ["FULLY_CONNECTED"] * 3 + ["SOFTMAX"]
    assert [e.index for e in errors] == [0, 1, 2, 3]
    assert "dense1" in errors[0].tensor and "scores" in errors[2].tensor
    # int8 steps are 1/256 of a tensor's range: 25-50 dB for a well-behaved layer
    assert all(25 < e.sqnr_db < 60 for e in errors[:3])
    wide = per_layer_sqnr(float_bytes, quantize_variant(model, x, "ptq_16x8"), x)
    assert np.mean([e.sqnr_db for e in wide[:3]]) > np.mean([e.sqnr_db for e in errors[:3]])


def test_the_layer_that_hurts_stands_out(dense, tf):
    import keras

    model, x = dense
    hurt = keras.models.clone_model(model)
    hurt.set_weights(model.get_weights())
    # one dense1 unit with a huge offset that dense2 ignores: dense1's int8 scale becomes so
    # coarse that its other units round to zero, which shows first at dense2's output
    kernel1, bias1 = hurt.get_layer("dense1").get_weights()
    bias1[0] = 500.0
    hurt.get_layer("dense1").set_weights([kernel1, bias1])
    kernel2, bias2 = hurt.get_layer("dense2").get_weights()
    kernel2[0, :] = 0.0
    hurt.get_layer("dense2").set_weights([kernel2, bias2])
    errors = per_layer_sqnr(
        quantize_variant(hurt, x, "float32"), quantize_variant(hurt, x, "ptq_int8"), x
    )
    sqnr = [e.sqnr_db for e in errors]
    assert sqnr[0] > 30  # the big unit dominates dense1's own output energy
    assert sqnr[1] < 15 and sqnr[1] == min(sqnr[:3])


def test_models_of_different_graphs_are_refused(dense, tf):
    from microforge.train.zoo import build_model

    model, x = dense
    other = build_model("cnn1d", (12, 1), 3, width=0.25, seed=0)
    with pytest.raises(ModelError):
        per_layer_sqnr(
            quantize_variant(model, x, "float32"),
            quantize_variant(other, x.reshape(-1, 12, 1), "ptq_int8"),
            x,
        )
