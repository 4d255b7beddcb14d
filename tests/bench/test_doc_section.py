"""bench.doc_section: section replacement keeps other sections byte-identical; tables."""

from __future__ import annotations

from pathlib import Path

from bench.doc_section import markdown_table, replace_section, write_section

BEFORE = "# Benchmarks\n\n## First\n\nfirst  text \n| a |\n\n"
AFTER = "## Last\n\nlast text\n\n\n### sub\ntrailing"


def test_replacing_a_middle_section_leaves_the_others_byte_identical() -> None:
    doc = BEFORE + "## Mine\n\nold figures\n### old sub\n\n" + AFTER
    new = replace_section(doc, "## Mine", "## Mine\n\nnew figures\n\n\n")
    assert new == BEFORE + "## Mine\n\nnew figures\n\n" + AFTER


def test_replacing_the_last_section_drops_only_its_old_body() -> None:
    doc = BEFORE + "## Mine\n\nold\n"
    assert replace_section(doc, "## Mine", "## Mine\n\nnew") == BEFORE + "## Mine\n\nnew\n"


def test_heading_must_match_a_whole_line() -> None:
    doc = BEFORE + "## Mine too\n\nkeep\n"
    new = replace_section(doc, "## Mine", "## Mine\n\nx\n")
    assert new == doc.rstrip() + "\n\n## Mine\n\nx\n"


def test_appends_when_missing_and_titles_an_empty_doc() -> None:
    assert replace_section(BEFORE, "## New", "## New\n\nx") == BEFORE.rstrip() + "\n\n## New\n\nx\n"
    assert replace_section("", "## New", "## New\n\nx\n") == "# Benchmarks\n\n## New\n\nx\n"


def test_write_section_creates_then_replaces(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    write_section(path, "## A", "## A\n\n1\n")
    write_section(path, "## B", "## B\n\n2\n")
    write_section(path, "## A", "## A\n\n3\n")
    assert path.read_text() == "# Benchmarks\n\n## A\n\n3\n\n## B\n\n2\n"


def test_markdown_table_alignment_and_rows() -> None:
    table = markdown_table(["name", "value"], "lr", [["x", "1"], ["y", "2,000"]])
    assert table == "| name | value |\n|---|---:|\n| x | 1 |\n| y | 2,000 |"
