from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError, DataError
from microforge.optimize.ptq import (
    RepresentativeSpec,
    litert_interpreter,
    predict_variant,
    quantize_variant,
    representative_set,
)

SLOW = pytest.mark.slow  # about 12 s each on the shared machine
SHAPES = {"dense": (40,), "cnn1d": (32, 3), "dscnn": (16, 10)}


def _labelled(n: int = 100):
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.array([0] * 70 + [1] * 20 + [2] * 10)[:n]
    return x, y


def test_stratified_selection_keeps_class_shares():
    x, y = _labelled()
    rep = representative_set(x, y, RepresentativeSpec(samples=20, selection="stratified"))
    labels = y[(rep[:, 0] / 2).astype(int)]
    assert len(rep) == 20 and len(np.unique(rep[:, 0])) == 20
    assert np.bincount(labels).tolist() == [14, 4, 2]


def test_stratified_selection_gives_every_class_a_sample_while_it_can():
    x, y = _labelled()
    rep = representative_set(x, y, RepresentativeSpec(samples=4, selection="stratified"))
    labels = y[(rep[:, 0] / 2).astype(int)]
    assert len(rep) == 4 and set(labels.tolist()) == {0, 1, 2}


def test_first_random_and_seeds():
    x, y = _labelled()
    first = representative_set(x, y, RepresentativeSpec(samples=5, selection="first"))
    assert np.array_equal(first, x[:5])
    a = representative_set(x, None, RepresentativeSpec(samples=10, selection="random", seed=1))
    b = representative_set(x, None, RepresentativeSpec(samples=10, selection="random", seed=1))
    c = representative_set(x, None, RepresentativeSpec(samples=10, selection="random", seed=2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert len(representative_set(x, y, RepresentativeSpec(samples=500))) == len(x)


def test_bad_selection_and_missing_labels_are_user_errors():
    with pytest.raises(ConfigError, match="representative_selection"):
        RepresentativeSpec(selection="best")
    with pytest.raises(DataError, match="labels"):
        representative_set(np.zeros((4, 2)), None, RepresentativeSpec())


class _Models(dict):
    """Small untrained zoo models, built on first use."""

    def __missing__(self, arch: str):
        from microforge.train.zoo import build_model

        shape = SHAPES[arch]
        model = build_model(arch, shape, 4, width=0.5, dropout=0.0, seed=3)
        scores = model.get_layer("scores")  # sharper, trained-like softmax outputs
        scores.set_weights([w * 10 for w in scores.get_weights()])
        x = np.random.default_rng(0).normal(size=(40, *shape)).astype(np.float32)
        self[arch] = (model, x)
        return self[arch]


@pytest.fixture(scope="module")
def models(tf):
    return _Models()


@pytest.mark.parametrize(
    "arch", ["dense", pytest.param("cnn1d", marks=SLOW), pytest.param("dscnn", marks=SLOW)]
)
def test_every_variant_runs_and_tracks_the_keras_model(models, arch, tflm):
    model, x = models[arch]
    expected = model.predict(x, verbose=0)
    errors = {}
    for mode in ("float32", "ptq_int8", "ptq_16x8", "dynamic_range"):
        scores = predict_variant(quantize_variant(model, x, mode), x)
        assert scores.shape == expected.shape and scores.dtype == np.float32
        errors[mode] = float(np.abs(scores - expected).max())
    assert errors["float32"] < 1e-5
    assert errors["ptq_int8"] < 0.05 and errors["dynamic_range"] < 0.05
    # 16x8: the same int8 weights, but 65536 activation levels instead of 256
    assert errors["ptq_16x8"] < errors["ptq_int8"]


def test_variant_io_types(models, tflm):
    model, x = models["dense"]
    dtypes = {}
    for mode in ("float32", "ptq_int8", "ptq_16x8", "dynamic_range"):
        interp = litert_interpreter(quantize_variant(model, x, mode))
        weights = [
            d for d in interp.get_tensor_details() if len(d["shape"]) == 2 and d["shape"][0] > 1
        ]
        dtypes[mode] = (interp.get_input_details()[0]["dtype"], {d["dtype"] for d in weights})
    assert dtypes["float32"] == (np.float32, {np.float32})
    assert dtypes["ptq_int8"] == (np.int8, {np.int8})
    assert dtypes["ptq_16x8"] == (np.int16, {np.int8})
    assert dtypes["dynamic_range"][0] == np.float32 and np.int8 in dtypes["dynamic_range"][1]


def test_unknown_mode_is_a_config_error(models):
    model, x = models["dense"]
    with pytest.raises(ConfigError, match="ptq_int8"):
        quantize_variant(model, x, "int4")
