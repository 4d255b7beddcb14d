import numpy as np
import pytest

from microforge.data.labels import AAMI, apply_label_map
from microforge.data.recording import Recording
from microforge.errors import DataError


def recs(*labels):
    return [Recording(np.zeros((4, 1), np.float32), 10.0, label, f"g{i}", f"f{i}", ("x",))
            for i, label in enumerate(labels)]


def test_aami_maps_beats_and_counts_what_it_drops():
    out, classes, notes = apply_label_map(recs("N", "L", "V", "E", "+", "~", "+", "A"),
                                          [], "aami")
    assert [r.label for r in out] == ["N", "N", "V", "V", "S"]
    assert classes == ["N", "S", "V"]  # the map's order, classes with data only
    assert "dropped 3 of 8" in notes[0] and "'+': 2" in notes[0] and "'~': 1" in notes[0]
    assert "no data for class(es) F, Q" in notes[1]
    assert set(AAMI) == {"N", "S", "V", "F", "Q"}


def test_no_map_keeps_labels_and_a_raw_label_in_two_classes_is_refused():
    rs = recs("a", "b")
    assert apply_label_map(rs, ["a", "b"], None) == (rs, ["a", "b"], [])
    with pytest.raises(DataError, match="raw label 'x' is mapped to both 'A' and 'B'"):
        apply_label_map(rs, [], {"A": ["x"], "B": ["x"]})
    with pytest.raises(DataError, match="no label in the data is mapped"):
        apply_label_map(rs, [], {"A": ["z"]})
    with pytest.raises(DataError, match="unknown preset 'ahaa'"):
        apply_label_map(rs, [], "ahaa")
