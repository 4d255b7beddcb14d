"""The data-forwarder line protocol: one sample per line, values separated by `,` or tab.

    0.12,-0.03,9.81\r\n
    0.11\t-0.02\t9.79\n

The number of values (axes) is fixed by the first lines that parse (the most common width
of the first `settle` of them); lines that are not numbers or have another width are
counted, never fatal. A line that is not numbers is *text* when it holds a word (two or more
letters that are not a number such as `nan`): a message the firmware prints, which took no
sample period; otherwise it is *garbled*: a corrupted sample, which did.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

_SPLIT = re.compile(r"[,\t]")
_WORDS = re.compile(r"[^\s,;:=\t]+")
_LETTERS = re.compile(r"[A-Za-z]{2,}")


@dataclass
class LineStats:
    lines: int = 0  # lines received (after the first partial line, if any)
    samples: int = 0  # lines kept as samples
    garbled: int = 0  # not numbers: noise, partial or undecodable lines
    wrong_width: int = 0  # numbers, but not the stream's number of axes
    text_lines: int = 0  # messages the device printed (see the module docstring)
    text: list[str] = field(default_factory=list)  # the last few text lines, verbatim

    @property
    def dropped(self) -> int:
        """Lines not kept as samples."""
        return self.garbled + self.wrong_width + self.text_lines

    @property
    def slots(self) -> int:
        """Lines that took a sample period: everything but text."""
        return self.lines - self.text_lines


def is_text(line: str) -> bool:
    """A message rather than a corrupted sample: a word that is not a number."""
    for token in _WORDS.findall(line):
        if _LETTERS.search(token):
            try:
                float(token)
            except ValueError:
                return True
    return False


def parse_values(line: str) -> list[float] | None:
    """The numbers of one line, or None when it is not a line of finite numbers."""
    cells = [c.strip() for c in _SPLIT.split(line.strip())]
    if not cells or any(not c for c in cells):
        return None
    try:
        values = [float(c) for c in cells]
    except ValueError:
        return None
    return values if all(math.isfinite(v) for v in values) else None


class LineParser:
    """Lines -> samples of a fixed width; counts what it cannot use."""

    def __init__(self, width: int | None = None, settle: int = 5, keep_text: int = 5) -> None:
        self.width = width  # None: from the first `settle` numeric lines
        self.settle = settle
        self.keep_text = keep_text
        self.stats = LineStats()
        self._pending: list[tuple[list[float], float]] = []

    def feed(self, raw: bytes, arrival: float) -> list[tuple[list[float], float]]:
        """One raw line (without its newline) -> the samples (values, arrival) now known.

        Until the width is settled, numeric lines wait; then they are released or counted."""
        self.stats.lines += 1
        try:
            line = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            self.stats.garbled += 1
            return []
        values = parse_values(line)
        if values is None:
            if is_text(line):
                self.stats.text_lines += 1
                if self.keep_text:
                    self.stats.text = (self.stats.text + [line])[-self.keep_text:]
            else:
                self.stats.garbled += 1
            return []
        if self.width is None:
            self._pending.append((values, arrival))
            if len(self._pending) < self.settle:
                return []
            self.width = Counter(len(v) for v, _ in self._pending).most_common(1)[0][0]
            pending, self._pending = self._pending, []
            return [s for s in pending if self._keep(s[0])]
        return [(values, arrival)] if self._keep(values) else []

    def flush(self) -> list[tuple[list[float], float]]:
        """At the end: numeric lines still waiting for the width (a very short stream)."""
        if self.width is None and self._pending:
            self.width = Counter(len(v) for v, _ in self._pending).most_common(1)[0][0]
            pending, self._pending = self._pending, []
            return [s for s in pending if self._keep(s[0])]
        return []

    def _keep(self, values: list[float]) -> bool:
        if len(values) != self.width:
            self.stats.wrong_width += 1
            return False
        self.stats.samples += 1
        return True
