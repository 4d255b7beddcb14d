import tomllib
from pathlib import Path

import pytest

from microforge.config import load_config, parse_config
from microforge.errors import ConfigError
from microforge.paths import PACKAGE_DIR

TEMPLATE = PACKAGE_DIR / "templates" / "microforge.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "microforge.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_template_is_valid_and_complete(tmp_path):
    config = load_config(write(tmp_path, TEMPLATE.read_text()))
    assert config.project.name == "my_project"
    assert config.dataset_path() == (tmp_path / "data").resolve()
    assert config.output_path() == (tmp_path / "build" / "my_project").resolve()
    assert config.windowing.window_ms == 1000
    assert config.model.architecture == "cnn1d"


def test_minimal_config_gets_defaults(tmp_path):
    config = load_config(write(tmp_path, '[dataset]\npath = "d"\n'))
    assert config.split.folds == 0 and config.training.epochs == 30
    assert config.quantization.mode == "int8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[dataset]\npath = "d"\nformt = "csv"\n', "dataset.formt: unknown field"),
        ('[dataset]\npath = "d"\n[windowing]\nwindow_ms = -5\n', "windowing.window_ms:"),
        ('[dataset]\npath = "d"\n[model]\narchitecture = "transformer"\n', "model.architecture:"),
        ('[dataset]\npath = "d"\n[split]\ntest_fraction = 0.6\nval_fraction = 0.5\n', "split:"),
        ('[dataset]\npath = "d"\n[split]\nfolds = 1\n', "folds must be 0"),
        ("[windowing]\nwindow_ms = 10\n", "dataset: required field is missing"),
        ('[dataset]\npath = "d"\n[training]\nepochs = "many"\n', "training.epochs:"),
        ("[dataset\n", "not valid TOML"),
        ('[dataset]\npath = "d"\n[quantization]\nvariant = "ptq_4x4"\n',
         "quantization.variant:"),
        ('[dataset]\npath = "d"\n[quantization]\nvariant = "ptq_16x8"\n[monitor]\n'
         'enabled = true\n', "the on-device monitor takes int8 scores"),
        ('[dataset]\npath = "d"\n[model]\ntflite = "m.tflite"\n[quantization]\n'
         'variant = "ptq_16x8"\n', "quantization.variant = \"ptq_16x8\": model.tflite is"),
        ('[dataset]\npath = "d"\n[dsp]\nblock = "image"\n[model]\narchitecture = "mobilenet"\n'
         '[quantization]\nvariant = "ptq_16x8"\n', "camera-frame library takes int8"),
        ('[dataset]\npath = "d"\n[model]\ntflite = "m.tflite"\n[quantization]\n'
         'variant = "qat"\n', "quantization.variant = \"qat\": model.tflite is quantized"),
        ('[dataset]\npath = "d"\n[model]\narchitecture = "random_forest"\n[quantization]\n'
         'variant = "qat"\n', "a classical model has no int8 network"),
    ],
)
def test_bad_config_names_the_field(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    message = str(info.value)
    assert expected in message
    assert "microforge.toml" in message and "\n" not in message


def test_16x8_variant_is_a_deployable_choice(tmp_path):
    config = load_config(write(tmp_path, '[dataset]\npath = "d"\n[quantization]\n'
                                         'variant = "ptq_16x8"\n'))
    assert config.quantization.variant == "ptq_16x8"


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="microforge init"):
        load_config(tmp_path / "nope.toml")


def test_parse_config_resolves_against_base_dir(tmp_path):
    config = parse_config(tomllib.loads('[dataset]\npath = "x"\n'), "inline", tmp_path)
    assert config.dataset_path() == (tmp_path / "x").resolve()


@pytest.mark.parametrize("field,value", [("board", "no_such_board"), ("board", "../esp32"),
                                         ("compare", ["esp32", "nope"])])
def test_unknown_board_is_rejected_when_the_config_is_read(tmp_path, field, value) -> None:
    """Before any stage runs: the error names the file and the field."""
    from microforge.config import parse_config

    with pytest.raises(ConfigError) as info:
        parse_config({"dataset": {"path": "x"}, "target": {field: value}},
                     str(tmp_path / "microforge.toml"), tmp_path)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'microforge.toml'}: target.{field}")
    assert "unknown board" in message and "esp32" in message and "\n" not in message


def test_classical_architecture_and_its_section(tmp_path):
    config = load_config(write(tmp_path, '[dataset]\npath = "d"\n[model]\narchitecture = '
                                         '"random_forest"\n[model.classical]\nn_estimators = 7\n'))
    assert config.is_classical and config.model.is_classical and config.anomaly is None
    assert config.model.classical.n_estimators == 7 and config.model.classical.max_depth == 0
    assert not load_config(write(tmp_path, '[dataset]\npath = "d"\n')).is_classical


def test_anomaly_section(tmp_path):
    config = load_config(write(tmp_path, '[dataset]\npath = "d"\n[anomaly]\ndetector = '
                                         '"isolation_forest"\nnormal_labels = ["ok"]\n'))
    assert config.is_classical and config.anomaly is not None
    assert config.anomaly.false_alarm_rate == 0.01 and config.anomaly.normal_labels == ["ok"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[model]\narchitecture = "adaboost"\n', "model.architecture: unknown architecture 'adaboost'; "
                                            "choose one of dense, cnn1d, dscnn"),
        ('[model]\narchitecture = "random_forest"\n[model.classical]\nn_estimators = 0\n',
         "model.classical.n_estimators:"),
        ('[model.classical]\ntrees = 3\n', "model.classical.trees: unknown field"),
        ('[anomaly]\ndetector = "svm"\nnormal_labels = ["a"]\n',
         "anomaly.detector: unknown anomaly detector 'svm'; choose one of kmeans"),
        ('[anomaly]\ndetector = "kmeans"\n', "anomaly.normal_labels: required field"),
        ('[anomaly]\nnormal_labels = []\n', "anomaly.normal_labels:"),
        ('[anomaly]\nnormal_labels = ["a"]\nfalse_alarm_rate = 1.5\n',
         "anomaly.false_alarm_rate:"),
        ('[model]\narchitecture = "gaussian_nb"\ntflite = "m.tflite"\n',
         "model.tflite is an int8 network"),
    ],
)
def test_bad_classical_config_names_the_field(tmp_path, text, expected):
    with pytest.raises(ConfigError, match=None) as err:
        load_config(write(tmp_path, '[dataset]\npath = "d"\n' + text))
    assert expected in str(err.value)


def test_detection_section_and_detector_checks(tmp_path):
    config = load_config(write(tmp_path, '[dataset]\npath = "d"\n[dsp]\nblock = "image"\n'
                                         '[model]\narchitecture = "fomo"\n'
                                         '[detection]\nthreshold = 0.6\n'))
    assert config.model.is_detector and config.detection.threshold == 0.6
    assert config.detection.match_distance == 8.0
    assert not load_config(write(tmp_path, '[dataset]\npath = "d"\n')).model.is_detector
    with pytest.raises(ConfigError, match='detects objects in images; set \\[dsp\\] block'):
        load_config(write(tmp_path, '[dataset]\npath = "d"\n[model]\narchitecture = "fomo"\n'))
    with pytest.raises(ConfigError, match="detection.threshold"):
        load_config(write(tmp_path, '[dataset]\npath = "d"\n[detection]\nthreshold = 0\n'))
