"""Small SVG charts rendered on the server (no JavaScript): a line chart, a bar chart and a
heatmap. Every mark carries its value in a `data-value` attribute and a <title> tooltip, so
a test (or a person) can read the figures the picture shows. Text is escaped.

    line_chart([("estimated", [0.9, 0.8])], y_range=(0, 1), reference=0.95)
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 640, 200, 36
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def _frame(body: list[str], label: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
            f'class="chart" data-chart="{escape(label)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">' + "".join(body) + "</svg>")


def line_chart(series: Sequence[tuple[str, Sequence[float | None]]], *,
               y_range: tuple[float, float], label: str, reference: float | None = None,
               x_labels: Sequence[str] = ()) -> str:
    """One polyline per series (None values are skipped) on a shared x (record index)."""
    lo, hi = y_range
    span = (hi - lo) or 1.0
    n = max((len(v) for _, v in series), default=0)
    def x(i: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (i / max(1, n - 1))
    def y(v: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (min(max(v, lo), hi) - lo) / span
    body = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
            'stroke="#888"/>',
            f'<text x="4" y="{PAD}" font-size="11">{_fmt(hi)}</text>',
            f'<text x="4" y="{HEIGHT - PAD}" font-size="11">{_fmt(lo)}</text>']
    if reference is not None:
        body.append(f'<line class="reference" data-value="{_fmt(reference)}" x1="{PAD}" '
                    f'y1="{y(reference):.1f}" x2="{WIDTH - PAD}" y2="{y(reference):.1f}" '
                    'stroke="#555" stroke-dasharray="4 3"><title>reference '
                    f'{_fmt(reference)}</title></line>')
    for k, (name, values) in enumerate(series):
        color = COLORS[k % len(COLORS)]
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
            body.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" '
                        f'points="{path}"/>')
        for i, v in points:
            tip = f"{name} {x_labels[i] if i < len(x_labels) else i}: {_fmt(v)}"
            body.append(f'<circle class="point" data-series="{escape(name)}" '
                        f'data-value="{_fmt(v)}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" '
                        f'fill="{color}"><title>{escape(tip)}</title></circle>')
        body.append(f'<text x="{PAD + 150 * k}" y="14" font-size="12" fill="{color}">'
                    f'{escape(name)}</text>')
    return _frame(body, label)


def bar_chart(bars: Sequence[tuple[str, float]], *, label: str) -> str:
    """Horizontal bars, one per (name, value)."""
    top = max((v for _, v in bars), default=0) or 1
    row = 22
    height = PAD + row * len(bars)
    body = []
    for i, (name, value) in enumerate(bars):
        w = (WIDTH - 220) * value / top
        yy = 10 + i * row
        body.append(f'<text x="4" y="{yy + 14}" font-size="12">{escape(name)}</text>'
                    f'<rect class="bar" data-name="{escape(name)}" data-value="{_fmt(value)}" '
                    f'x="170" y="{yy}" width="{w:.1f}" height="{row - 6}" fill="{COLORS[0]}">'
                    f'<title>{escape(name)}: {_fmt(value)}</title></rect>'
                    f'<text x="{175 + w:.1f}" y="{yy + 14}" font-size="12">{_fmt(value)}</text>')
    return _frame(body, label, height=height)


def heatmap(rows: Sequence[str], columns: Sequence[str],
            values: Sequence[Sequence[float | None]], *, label: str,
            vmax: float = 1.0) -> str:
    """values[r][c] as cells, white (0) to red (>= vmax); None is grey."""
    n_cols = max(1, len(columns))
    cell_w = (WIDTH - 90) / n_cols
    cell_h = 16
    body = []
    for r, name in enumerate(rows):
        yy = 10 + r * cell_h
        body.append(f'<text x="4" y="{yy + 12}" font-size="11">{escape(name)}</text>')
        for c in range(len(columns)):
            v = values[r][c] if c < len(values[r]) else None
            if v is None:
                fill, shown = "#ddd", "none"
            else:
                t = min(max(v / vmax, 0.0), 1.0)
                g = int(255 * (1 - t))
                fill, shown = f"rgb(255,{g},{g})", _fmt(v)
            body.append(f'<rect class="cell" data-row="{escape(name)}" '
                        f'data-column="{escape(columns[c])}" data-value="{shown}" '
                        f'x="{80 + c * cell_w:.1f}" y="{yy}" width="{max(cell_w, 1):.1f}" '
                        f'height="{cell_h - 2}" fill="{fill}"><title>{escape(name)} @ '
                        f'{escape(columns[c])}: {shown}</title></rect>')
    return _frame(body, label, height=20 + cell_h * len(rows))
