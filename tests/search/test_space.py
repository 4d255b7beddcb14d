"""The search space as data: dimensions, their checks, the default spaces, [search] in the
config."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.config import parse_config
from microforge.errors import ConfigError
from microforge.search.space import (
    Dimension,
    data_type_of,
    default_space,
    dimension_from_dict,
)


def test_default_imu_space_is_relative_to_the_project_window():
    space = {d.name: d for d in default_space("imu", 2560)}
    assert space["windowing.window_ms"].choices == (1280.0, 1920.0, 2560.0)
    assert space["dsp.block"].choices == ("raw", "spectral")
    assert space["dsp.params.n_bands"].when == {"dsp.block": "spectral"}
    assert space["quantization.variant"].choices == ("ptq_int8", "qat", "ptq_16x8")
    assert space["training.learning_rate"].log


@pytest.mark.parametrize("data_type", ["imu", "audio"])
def test_16x8_only_where_its_cost_is_measured(data_type):
    """The per-op cost model is fitted on int8 kernels: without the emulator the default
    spaces leave 16x8 out, and a declared 16x8 dimension is a config error."""
    measured = {d.name: d for d in default_space(data_type, 1000, "emulator")}
    modelled = {d.name: d for d in default_space(data_type, 1000, "model")}
    assert "ptq_16x8" in measured["quantization.variant"].choices
    assert modelled["quantization.variant"].choices == ("ptq_int8", "qat")
    assert [d.name for d in measured.values()] == [d.name for d in modelled.values()]


def test_declared_16x8_needs_the_emulator(tmp_path):
    from microforge.search.settings import space_of

    config = parse_config({"dataset": {"path": "d"}, "search": {"space": [
        {"name": "quantization.variant", "choices": ["ptq_int8", "ptq_16x8"]}]}},
        "microforge.toml", tmp_path)
    assert space_of(config, "imu", "emulator")[0].choices == ("ptq_int8", "ptq_16x8")
    with pytest.raises(ConfigError, match="ptq_16x8 needs cost"):
        space_of(config, "imu", "model")


def test_default_audio_space_has_the_mfcc_parameters():
    names = [d.name for d in default_space("audio", 1000)]
    for name in ("dsp.params.n_mfcc", "dsp.params.frame_length_ms", "dsp.params.fft_length",
                 "model.width", "model.depth"):
        assert name in names


@pytest.mark.parametrize(("block", "fmt", "expected"),
                         [("raw", "uci_har", "imu"), ("spectral", "cwru", "imu"),
                          ("mfcc", "auto", "audio"), ("raw", "speech_commands", "audio")])
def test_data_type_from_the_project(block, fmt, expected):
    assert data_type_of(block, fmt) == expected


def test_images_have_no_default_space():
    with pytest.raises(ConfigError, match="search.space"):
        data_type_of("image", "auto")


@pytest.mark.parametrize(("data", "expected"), [
    ({"name": "report.title", "kind": "categorical", "choices": [1]}, "not a searchable"),
    ({"name": "model.width", "kind": "categorical", "choices": []}, "needs choices"),
    ({"name": "model.width", "kind": "float", "low": 2, "high": 1}, "low < high"),
    ({"name": "training.learning_rate", "kind": "float", "low": 0, "high": 1, "log": True},
     "log dimension needs low > 0"),
    ({"name": "quantization.variant", "kind": "categorical", "choices": ["int4"]},
     "ptq_int8, qat"),
])
def test_bad_dimension_is_one_line_naming_it(data, expected):
    with pytest.raises(ConfigError, match=expected) as info:
        dimension_from_dict(data)
    assert str(info.value).startswith(f"search.space: {data['name']}")


def test_dimension_applies_only_when_its_condition_holds():
    dim = Dimension("dsp.params.n_bands", "categorical", (4, 8), when={"dsp.block": "spectral"})
    assert dim.applies({"dsp.block": "spectral"}) and not dim.applies({"dsp.block": "raw"})
    assert dim.describe() == "dsp.params.n_bands: 4, 8 if dsp.block = spectral"


def test_search_section_defaults_and_errors():
    config = parse_config({"dataset": {"path": "d"}}, "m.toml", Path("."))
    assert config.search.trials == 20 and config.search.objectives == ["accuracy"]
    for search, expected in [({"objectives": ["ram"]}, "first objective"),
                             ({"trails": 3}, "search.trails: unknown field"),
                             ({"workers": 0}, "search.workers"),
                             ({"board": "nope"}, "search.board"),
                             ({"space": [{"name": "model.width", "colour": 1}]},
                              "search.space.0.colour")]:
        with pytest.raises(ConfigError, match=expected):
            parse_config({"dataset": {"path": "d"}, "search": search}, "m.toml", Path("."))
