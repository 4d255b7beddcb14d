"""importers.calibration: arrays, .npy, .npz, and the errors naming the file and the shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.errors import DataError
from microforge.importers.calibration import _project_features, load_calibration

SHAPE = (1, 3, 8)


def test_array_npy_and_npz(tmp_path: Path) -> None:
    x = np.random.default_rng(0).normal(size=(5, 3, 8))
    np.save(tmp_path / "a.npy", x)
    np.savez(tmp_path / "b.npz", other=np.zeros(2), x=x)
    np.savez(tmp_path / "c.npz", x)  # the first array when none is called x
    for source in (x, tmp_path / "a.npy", tmp_path / "b.npz", str(tmp_path / "c.npz")):
        calib = load_calibration(source, SHAPE)
        assert calib.x.dtype == np.float32 and calib.held_out is None
        np.testing.assert_array_equal(calib.x, x.astype(np.float32))


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: np.save(p / "s.npy", np.zeros((4, 8, 3))), "do not fit the model input"),
    (lambda p: np.save(p / "s.npy", np.zeros((0, 3, 8))), "no calibration samples"),
    (lambda p: np.save(p / "s.npy", np.full((2, 3, 8), np.nan)), "NaN"),
    (lambda p: (p / "s.npy").write_bytes(b"not numpy"), "cannot read"),
    (lambda p: (p / "s.csv").write_text("1,2"), ".npy or .npz"),
])
def test_bad_calibration_is_one_line(tmp_path: Path, make, message: str) -> None:
    make(tmp_path)
    (path,) = tmp_path.iterdir()
    with pytest.raises(DataError) as info:
        load_calibration(path, SHAPE)
    text = str(info.value)
    assert message in text and str(path) in text and "\n" not in text


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such calibration file"):
        load_calibration(tmp_path / "none.npy", SHAPE)


def test_a_project_gives_its_training_and_test_features(tmp_path: Path) -> None:
    from tests.measure.project_fixture import write_project

    toml = write_project(tmp_path / "proj")
    probe = _project_features(toml)[0]
    shape = (1, *probe.shape[1:])
    calib = load_calibration(toml.parent, shape)  # the folder works as the toml does
    assert calib.x.shape[1:] == shape[1:] and len(calib.x) > 10
    assert calib.held_out is not None and calib.held_out.shape[1:] == shape[1:]
    assert len(calib.held_out) > 0
    with pytest.raises(DataError, match="do not fit the model input") as info:
        load_calibration(toml, (1, *shape[1:], 2))
    assert str(toml) in str(info.value)
