"""The op coverage table: generated from the registry, current in docs/ops.md."""

from __future__ import annotations

from pathlib import Path

from microforge.ops.base import OPS
from microforge.ops.coverage import (
    TFLM_BUILTINS,
    count_tests,
    coverage_rows,
    docs_section,
    markdown_table,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ops.md"


def test_docs_table_is_current():
    assert docs_section(coverage_rows()) in DOCS.read_text(encoding="utf-8"), (
        "docs/ops.md is out of date: run python -m microforge.ops.coverage --write-docs")


def test_every_op_module_declares_its_dtypes():
    undeclared = [name for name in OPS.names() if not OPS.get(name).dtypes]
    assert not undeclared


def test_rows_cover_tflm_and_mark_what_is_implemented():
    rows = {r.op: r for r in coverage_rows()}
    assert set(TFLM_BUILTINS) <= set(rows)
    assert rows["CONV_2D"].implemented and "int8" in rows["CONV_2D"].dtypes
    assert "MF_RESIDUAL_BLOCK" in rows["CONV_2D"].fused_into
    assert rows["RESHAPE"].plans_memory
    assert rows["WHILE"].implemented and "MF_LOOP_BEGIN" in rows["WHILE"].fused_into
    assert not rows["CIRCULAR_BUFFER"].implemented
    assert rows["CONV_2D"].tests == count_tests("conv2d") > 0


def test_tests_are_not_counted_without_a_checkout(tmp_path):
    assert count_tests("conv2d", tmp_path / "missing") is None
    assert "| None" not in markdown_table(coverage_rows(tmp_path / "missing"))
