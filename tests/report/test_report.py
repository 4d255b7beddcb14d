from __future__ import annotations

import base64
import json
import re

from microforge.report import BoardFitRow, FoldFigures, ReportData, write_report
from microforge.report.from_run import report_data_from_run
from microforge.runners.tflm import ArenaSize
from microforge.targets.boards import fit_check, load_board
from microforge.train.metrics import evaluate

NAMES = ["idle", "shake", "tap"]


def _data() -> ReportData:
    float_m = evaluate([0, 1, 2, 2, 1, 0], [0, 1, 2, 2, 1, 0], NAMES)
    int8_m = evaluate([0, 1, 2, 2, 1, 0], [0, 1, 2, 1, 1, 0], NAMES)
    board = load_board("nucleo_l4r5zi")
    return ReportData(
        project="demo",
        dataset={"windows": 6, "classes": NAMES},
        float_metrics=float_m,
        int8_metrics=int8_m,
        float_tflite_bytes=29612,
        int8_tflite_bytes=12664,
        params=7001,
        macs=123456,
        arena=ArenaSize(6560, 3200, 3360),
        board_fits=[BoardFitRow(board.id, board.name, fit_check(board, 12664, 6560))],
        folds=[FoldFigures("s1", 3, ["1"], 1.0, 1.0), FoldFigures("s2", 3, ["2"], 1.0, 2 / 3)],
        timings={"train": 12.5},
    )


def test_json_holds_every_figure(tmp_path):
    json_path, html_path = write_report(tmp_path / "out", _data())
    report = json.loads(json_path.read_text())
    assert report["project"] == "demo"
    assert report["float"]["accuracy"] == 1.0
    assert abs(report["int8"]["accuracy"] - 5 / 6) < 1e-9
    assert abs(report["int8_accuracy_drop"] - 1 / 6) < 1e-9
    assert report["int8"]["confusion"][2] == [0, 1, 1]
    assert report["model"] == {
        "parameters": 7001,
        "macs": 123456,
        "float_tflite_bytes": 29612,
        "int8_tflite_bytes": 12664,
    }
    assert report["tflm_arena"] == {"total": 6560, "head": 3200, "tail": 3360}
    (board,) = report["boards"]
    assert board["board"] == "nucleo_l4r5zi" and board["fits"] is True
    assert board["ram_bytes"] == 6560 + 8 * 1024
    assert [f["name"] for f in report["folds"]] == ["s1", "s2"]
    assert abs(report["cross_validation"]["int8"]["mean"] - 5 / 6) < 1e-9
    assert report["timings"] == {"train": 12.5}


def test_html_is_self_contained_with_png_plots(tmp_path):
    _, html_path = write_report(tmp_path, _data())
    html = html_path.read_text()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 2  # accuracy bars + confusion matrix
    for image in images:
        assert base64.b64decode(image).startswith(b"\x89PNG")
    assert "http" not in html.split("<body>")[1]  # no external resources
    for figure in ("83.3 %", "12,664 B", "6,560 B", "ST NUCLEO-L4R5ZI", "shake"):
        assert figure in html


def test_pipeline_figures_mapping_is_accepted(tmp_path):
    fold_a = evaluate([0, 1, 2], [0, 1, 1], NAMES).to_dict()
    fold_b = evaluate([0, 1, 2], [0, 1, 2], NAMES).to_dict()
    figures = {
        "project": "run",
        "dataset": {"windows": 6},
        "model": {"architecture": "cnn1d", "parameters": 42},
        "folds": [
            {"name": "a", "test_windows": 3, "float": fold_a, "int8": fold_a, "train_seconds": 1},
            {"name": "b", "test_windows": 3, "float": fold_b, "int8": fold_b, "train_seconds": 2},
        ],
        "model_bytes": {"float_tflite": 100, "int8_tflite": 50},
        "tflm_arena": {"total": 1000, "head": 600, "tail": 400},
        "boards": [{"board": "raspberry_pi_pico", "fits": True, "message": ""}],
        "seconds": 9.0,
        "dsp": {"block": "raw"},
    }
    data = report_data_from_run(figures)
    assert abs(data.int8_metrics.accuracy - 5 / 6) < 1e-9  # pooled over both folds
    assert data.board_fits[0].fit.ram_bytes == 1000 + 8 * 1024
    json_path, _ = write_report(tmp_path, figures)
    report = json.loads(json_path.read_text())
    assert report["model"]["parameters"] == 42 and report["dsp"] == {"block": "raw"}
    assert report["model_config"] == {"architecture": "cnn1d"}
    assert report["timings"] == {"total": 9.0, "training": 3.0}


def test_the_quantization_variant_of_a_run_is_in_its_report(tmp_path):
    fold = evaluate([0, 1, 2], [0, 1, 1], NAMES).to_dict()
    figures = {"project": "run", "dataset": {"windows": 3}, "model": {"parameters": 1},
               "folds": [{"name": "final", "test_windows": 3, "float": fold, "int8": fold}],
               "model_bytes": {"float_tflite": 100, "int8_tflite": 50}, "boards": [],
               "quantization": {"variant": "qat", "note": "fine-tuned"}}
    json_path, html_path = write_report(tmp_path, figures)
    assert json.loads(json_path.read_text())["quantization"]["variant"] == "qat"
    assert "<th>int8, QAT (TFLM)</th>" in html_path.read_text()
    del figures["quantization"]  # a run from before the setting: PTQ
    _, html_path = write_report(tmp_path, figures)
    assert "<th>int8 (TFLM)</th>" in html_path.read_text()


def test_board_fits_come_from_the_run_summary_when_given():
    from types import SimpleNamespace

    fit = fit_check(load_board("esp32"), 5000, 2000)
    summary = SimpleNamespace(final=SimpleNamespace(board_fits=[("esp32", fit)]))
    figures = {"project": "p", "tflm_arena": {"total": 2000, "head": 1000, "tail": 1000}}
    data = report_data_from_run(figures, summary)
    (row,) = data.board_fits
    assert row.fit is fit and row.estimate_only and row.board_name.startswith("Espressif ESP32")
    assert data.float_metrics is None and data.folds == []


def test_the_c_library_section_of_a_classifier_renders(tmp_path):
    """A classifier's section has no centroid figures (c_detection): the page still renders
    (it failed in `make demo` when the detection rows were added)."""
    figures = {"project": "run", "dataset": {"windows": 6}, "seconds": 1.0,
               "c_library": {"board": "nucleo_l4r5zi", "board_name": "ST NUCLEO-L4R5ZI",
                             "core": "cortex-m4", "absent": None, "tflm_estimate": None,
                             "fixed_point": False, "machine": "mps2-an386",
                             "library_flash_bytes": 1234, "library_ram_bytes": 567,
                             "firmware_flash_bytes": 4000, "firmware_ram_bytes": 900,
                             "board_flash_bytes": 2 << 20, "board_ram_bytes": 640 << 10,
                             "fits": True, "dsp_instructions": 100, "network_instructions": 200,
                             "instructions": 300, "latency_ms": 0.01, "cpi_source": "TRM",
                             "c_python": {"windows": 20, "agreeing": 20, "source": "test"},
                             "tflm_bitexact": None, "sklearn_exact": None}}
    _, html_path = write_report(tmp_path, figures)
    html = html_path.read_text()
    assert "C == Python pipeline" in html and "20 of 20 windows" in html
