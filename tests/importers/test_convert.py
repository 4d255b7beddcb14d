"""importers.convert: the layout mapping between ONNX and the converted TFLite tensors."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.importers.convert import channels_last, layout_of


def test_channels_last() -> None:
    assert channels_last(2) == (0, 1)
    assert channels_last(3) == (0, 2, 1)
    assert channels_last(4) == (0, 2, 3, 1)


def test_layout_of() -> None:
    nchw = layout_of((1, 3, 8, 5), (1, 8, 5, 3))
    assert nchw.changed and nchw.perm == (0, 2, 3, 1)
    x = np.arange(2 * 3 * 8 * 5).reshape(2, 3, 8, 5)
    np.testing.assert_array_equal(nchw.to_tflite(x), x.transpose(0, 2, 3, 1))
    assert "x.transpose(0, 2, 3, 1)" in nchw.describe()
    flat = layout_of((1, 16), (1, 16))
    assert not flat.changed and "unchanged" in flat.describe()
    with pytest.raises(ModelError, match="cannot map"):
        layout_of((1, 3, 8), (1, 24))
