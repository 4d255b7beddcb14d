"""Shared docs/benchmarks.md writing for the bench scripts: section replacement, markdown tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from microforge.atomic import atomic_write_text

EMPTY_DOC_TITLE = "# Benchmarks\n\n"


def replace_section(doc: str, heading: str, text: str) -> str:
    """`doc` with the section `heading` (up to the next '## ' heading) replaced by `text`.

    Appends `text` when the heading is missing (under a '# Benchmarks' title if `doc` is empty);
    every other section stays byte-identical.
    """
    body = text.rstrip("\n") + "\n"
    lines = doc.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        return (doc.rstrip() + "\n\n" if doc.strip() else EMPTY_DOC_TITLE) + body
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + body + ("\n" + tail if tail else "")


def write_section(path: Path, heading: str, text: str) -> None:
    """Replace (or append) the section `heading` of the markdown file at `path` by `text`."""
    doc = path.read_text(encoding="utf-8") if path.exists() else ""
    atomic_write_text(path, replace_section(doc, heading, text))


def markdown_table(header: Sequence[str], aligns: str, rows: Iterable[Sequence[str]]) -> str:
    """A markdown table; `aligns` has one letter per column: 'l' (left) or 'r' (right)."""
    rule = {"l": "---", "r": "---:"}
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(rule[a] for a in aligns) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)
