"""fit_autoencoder's input checks (the training itself: tests/classical/test_autoencoder.py)."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import DataError
from microforge.train.autoencoder import fit_autoencoder


def test_nan_and_too_few_rows_are_one_line_errors() -> None:
    pytest.importorskip("keras", reason="keras not installed: pip install 'microforge[train]'")
    bad = np.ones((10, 3), np.float32)
    bad[2, 1] = np.nan
    with pytest.raises(DataError, match="NaN"):
        fit_autoencoder(bad)
    with pytest.raises(DataError, match=">= 2 normal feature rows"):
        fit_autoencoder(np.ones((1, 3), np.float32))
