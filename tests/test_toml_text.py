"""The config writer: what it writes reads back as the same document."""

from __future__ import annotations

import tomllib

from microforge.toml_text import to_toml


def test_round_trip_of_a_config_document():
    doc = {
        "project": {"name": "p", "output_dir": "../b"},
        "dataset": {"path": 'C:\\data "x"\n', "label_map": {"a": ["x", "y"]}},
        "dsp": {"block": "spectral", "params": {"n_bands": 8, "statistics": ["rms"]}},
        "model": {"width": 0.25, "depth": 2, "dropout": 0.1},
        "training": {"learning_rate": 0.0084255, "augment": True},
        "search": {"trials": 4, "space": [
            {"name": "model.width", "choices": [0.25, 4.0]},
            {"name": "dsp.params.n_bands", "choices": [4], "when": {"dsp.block": "spectral"}},
        ]},
    }
    assert tomllib.loads(to_toml(doc)) == doc


def test_odd_keys_are_quoted():
    assert tomllib.loads(to_toml({"t": {"a b": 1, "é": "ü"}})) == {"t": {"a b": 1, "é": "ü"}}
