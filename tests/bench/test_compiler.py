"""bench.compiler's measurement and table builder on hello_world (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.compiler import MODELS, SECTION, measure, render_tables
from bench.compiler_doc import section_text
from bench.doc_section import replace_section


def test_hello_world_row_and_tables(shared_data: Path, tflm, tmp_path: Path) -> None:
    path = shared_data / "models" / MODELS["hello_world_int8"]
    row = measure("hello_world_int8", path, tmp_path, repeats=1, seconds=0.005)
    assert row.arena >= row.live_peak > 0
    assert row.io_bytes == 2  # one int8 in, one int8 out
    assert row.tflm_total > row.tflm_head > 0
    assert row.flash > row.weight_bytes > 0 and row.tflite_bytes == path.stat().st_size
    assert min(row.tflm_py.median_us, row.ours_py.median_us, row.ours_c.median_us) > 0
    tables = render_tables([row])
    assert f"| hello_world_int8 | {row.ram:,} ({row.arena:,} + 2) |" in tables
    assert tables.count("| hello_world_int8 |") == 2
    text = section_text(tables, [row], "test machine", 1, 0.005)
    assert text.startswith(SECTION) and "reached on" in text


def test_replace_section_keeps_other_sections() -> None:
    doc = "# Benchmarks\n\n## Foundation\n\nfoundation text\n\n" + SECTION + "\n\nold\n\n## Later\n\nx\n"
    new = replace_section(doc, SECTION, SECTION + "\n\nnew table\n")
    assert "foundation text" in new and "## Later\n\nx" in new
    assert "new table" in new and "old" not in new
    assert replace_section("", SECTION, SECTION + "\n\nt\n").startswith("# Benchmarks\n\n" + SECTION)
