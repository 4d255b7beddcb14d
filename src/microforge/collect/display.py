"""The live terminal display of `collect` and `live`: progress, measured rate, bad lines, and a
sparkline per axis of the last samples."""

from __future__ import annotations

import numpy as np
from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from microforge.collect.session import Snapshot

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: np.ndarray) -> str:
    if len(values) == 0:
        return ""
    lo, hi = float(np.min(values)), float(np.max(values))
    if hi - lo < 1e-12:
        return BARS[3] * len(values)
    scaled = ((np.asarray(values) - lo) / (hi - lo) * (len(BARS) - 1)).round().astype(int)
    return "".join(BARS[i] for i in scaled)


def render(s: Snapshot, extra: list[str] | None = None) -> Group:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    if s.seconds:
        bar = ProgressBar(total=s.seconds, completed=min(s.elapsed_s, s.seconds), width=30)
        grid.add_row("time", Group(bar, Text(f"{s.elapsed_s:5.1f} / {s.seconds:g} s")))
    else:
        grid.add_row("time", f"{s.elapsed_s:5.1f} s (Ctrl-C to stop)")
    rate = f"{s.rate.measured:.5g} Hz measured" if s.rate else "measuring..."
    grid.add_row("samples", f"{s.stats.samples} ({rate})")
    dropped = s.stats.dropped
    style = "yellow" if dropped else ""
    grid.add_row("dropped", Text(f"{dropped} lines ({s.stats.garbled} garbled, "
                                 f"{s.stats.wrong_width} with another number of values, "
                                 f"{s.stats.text_lines} text)", style=style))
    if s.stats.text:
        grid.add_row("device", Text(s.stats.text[-1]))
    if s.recent.ndim == 2 and s.recent.size:
        for i, name in enumerate(s.axes[: s.recent.shape[1]]):
            column = s.recent[:, i]
            grid.add_row(name, f"{sparkline(column)} {column[-1]:.4g}")
    for line in extra or []:
        grid.add_row("", Text(line))
    return Group(Text(f"collecting '{s.label}'", style="bold"), grid)


class LiveDisplay:
    """A rich Live region on stderr, refreshed from snapshots (quiet when not a terminal)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._live: Live | None = None

    def __call__(self, snapshot: Snapshot) -> None:
        if not self.console.is_terminal:
            return
        if self._live is None:
            self._live = Live(render(snapshot), console=self.console, refresh_per_second=8,
                              transient=False)
            self._live.start()
        else:
            self._live.update(render(snapshot))

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
