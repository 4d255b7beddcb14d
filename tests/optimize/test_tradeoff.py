import json

from microforge.optimize.tradeoff import (
    TABLE_COLUMNS,
    markdown_table,
    table_row,
    tradeoff_report,
)
from microforge.optimize.variants import OptimizeRun, VariantResult
from microforge.report import ReportData, write_report
from microforge.report.plots import tradeoff_png
from microforge.report.tradeoff import write_tradeoff
from tests.optimize.project_fixture import small_project
from tests.optimize.test_recommend import variant


def fake_run() -> OptimizeRun:
    return OptimizeRun("opt_demo", ["fold1", "fold2"], [
        variant("float32", 0.91, 5_000_000, 9_000, 120_000, fmt="float32"),
        variant("ptq_int8", 0.90, 12_000, 2_500, 120_000, instructions=300_000),
        variant("ptq_16x8", 0.905, 16_000, 6_000, None, fmt="16x8", deploy="tflm"),
        VariantResult("distill", "int8", skipped="microforge.optimize.distill is not available"),
    ])


def test_table_rows_mark_tflm_fallback_and_skipped_variants():
    run = fake_run()
    rows = [table_row(v.to_dict()) for v in run.variants]
    assert all(len(r) == len(TABLE_COLUMNS) for r in rows)
    assert rows[0][2] == "91.0 ± 0.0" and rows[0][5] == "5,000,000"
    assert rows[1][8] == "300,000"
    assert rows[2][5].endswith("*") and rows[2][7] == "-"
    assert rows[3][2].startswith("skipped: ") and "distill" in rows[3][2]


def test_variant_results_round_trip_through_json():
    for v in fake_run().variants:
        again = type(v).from_dict(json.loads(json.dumps(v.to_dict())))
        assert again.to_dict() == v.to_dict()


def test_tradeoff_plot_and_report_section(tmp_path):
    section_variants = [v.to_dict() for v in fake_run().variants]
    png = tradeoff_png(section_variants)
    assert png and len(png) > 1000
    assert tradeoff_png([section_variants[-1]]) is None  # nothing measured: no plot
    optimization = {"folds": ["fold1", "fold2"], "latency_budget_ms": 50.0,
                    "variants": section_variants, "recommendations": []}
    json_path, html_path = write_report(tmp_path, ReportData("p", optimization=optimization))
    saved = json.loads(json_path.read_text())
    assert [v["technique"] for v in saved["optimization"]["variants"]] == [
        "float32", "ptq_int8", "ptq_16x8", "distill"]
    html = html_path.read_text()
    assert "Optimization trade-offs" in html and "ptq_16x8" in html and "skipped" in html
    assert "Per-layer quantization error" not in html  # no variant has a layer table


def test_report_shows_the_per_layer_error_with_the_lowest_marked(tmp_path):
    int8 = fake_run().variants[1]
    int8.layer_errors = [
        {"index": 0, "op": "CONV_2D", "tensor": "conv", "sqnr_db": 31.5},
        {"index": 1, "op": "FULLY_CONNECTED", "tensor": "dense", "sqnr_db": 5.5},
        {"index": 2, "op": "SOFTMAX", "tensor": "probs", "sqnr_db": None},
    ]
    optimization = {"folds": ["fold1"], "latency_budget_ms": 50.0,
                    "variants": [int8.to_dict()], "recommendations": []}
    _, html_path = write_report(tmp_path, ReportData("p", optimization=optimization))
    html = html_path.read_text()
    assert "Per-layer quantization error: ptq_int8" in html
    assert "5.5 (lowest)" in html and "31.5 (lowest)" not in html and "identical" in html
    plain_json, plain_html = write_report(tmp_path / "plain", ReportData("p"))
    assert "optimization" not in json.loads(plain_json.read_text())
    assert "Optimization trade-offs" not in plain_html.read_text()


def test_write_tradeoff_writes_the_report_folder_atomically(tmp_path):
    project = small_project(tmp_path)
    report = tradeoff_report(project, fake_run())
    boards = [r.board_id for r in report.recommendations]
    assert boards[0] == project.config.target.board and len(boards) == 4
    assert {r.technique for r in report.recommendations} == {"ptq_int8"}  # float32 too big, 16x8 no MACs
    out = write_tradeoff(project, report)
    assert out == project.config.output_path() / "optimize"
    assert {p.name for p in out.iterdir()} >= {"optimization.json", "report.json",
                                               "report.html", "tradeoff.png"}
    section = json.loads((out / "optimization.json").read_text())
    assert section["recommendations"][0]["technique"] == "ptq_int8"
    md = markdown_table(report.section())
    assert md.count("\n| ") >= 4 + 4 and "| ptq_int8 |" in md
