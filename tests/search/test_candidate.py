"""Candidate configs from sampled values: the rules on top of the values, and the errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.errors import ConfigError
from microforge.search.candidate import make_candidate, read_document

PROJECT = """
[project]
name = "p"
[dataset]
path = "data"
[windowing]
window_ms = 2000
stride_ms = 2000
[split]
val_fraction = 0.0
[dsp]
block = "raw"
[dsp.params]
normalize = true
[model]
architecture = "cnn1d"
[training]
epochs = 30
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "microforge.toml"
    path.write_text(PROJECT, encoding="utf-8")
    return path


def candidate(config: Path, params: dict, max_epochs: int | None = 5):
    return make_candidate(config, read_document(config), params, max_epochs, 0.25)


def test_sampled_values_and_the_rules(config):
    c = candidate(config, {"windowing.window_ms": 1000.0, "windowing.stride_fraction": 0.5,
                           "model.width": 0.5, "model.depth": 2,
                           "quantization.variant": "qat"})
    assert c.config.windowing.window_ms == 1000 and c.config.windowing.stride_ms == 500
    assert c.config.model.width == 0.5 and c.config.model.depth == 2
    assert c.variant == "qat" and c.config.optimize.finetune_epochs == 5
    assert c.config.training.epochs == 5  # capped by max_epochs
    assert c.config.split.val_fraction == 0.25  # the project had no validation split
    assert c.config.dsp.params == {"normalize": True}  # same block: the project's params
    # the variant is a config field `microforge run` honours
    assert c.document["quantization"]["variant"] == "qat"
    assert c.config.quantization.variant == "qat"


def test_a_16x8_trial_writes_16x8_in_its_config(config):
    c = candidate(config, {"quantization.variant": "ptq_16x8"})
    assert c.variant == "ptq_16x8"
    assert c.document["quantization"]["variant"] == "ptq_16x8"  # the C pipeline deploys it
    assert c.config.quantization.variant == "ptq_16x8"
    c = candidate(config, {"model.width": 0.5})  # not sampled: the project's own variant
    assert c.variant == "ptq_int8" and "quantization" not in c.document


def test_another_block_starts_from_its_defaults_and_flat_features_get_dense(config):
    c = candidate(config, {"dsp.block": "spectral", "dsp.params.n_bands": 4})
    assert c.config.dsp.params == {"n_bands": 4}
    assert c.config.model.architecture == "dense"
    assert c.variant == "ptq_int8"


def test_no_cap_keeps_the_project_epochs(config):
    assert candidate(config, {}, max_epochs=None).config.training.epochs == 30


def test_a_value_the_block_rejects_is_a_config_error_naming_it(config):
    with pytest.raises(ConfigError, match="dsp.params.fft_length"):
        candidate(config, {"dsp.block": "spectral", "dsp.params.fft_length": 100})
    with pytest.raises(ConfigError, match="model.width"):
        candidate(config, {"model.width": 100.0})
