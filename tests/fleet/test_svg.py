from __future__ import annotations

import xml.etree.ElementTree as ET

from microforge.fleet.svg import bar_chart, heatmap, line_chart

NS = "{http://www.w3.org/2000/svg}"


def test_charts_are_valid_svg_carrying_their_values_escaped() -> None:
    line = line_chart([("a<b", [0.5, None, 0.25])], y_range=(0, 1), label="acc & co",
                      reference=0.9)
    root = ET.fromstring(line)
    points = root.findall(f"{NS}circle")
    assert [p.get("data-value") for p in points] == ["0.5", "0.25"]
    assert points[0].get("data-series") == "a<b" and root.get("aria-label") == "acc & co"
    bars = ET.fromstring(bar_chart([("x", 3.0), ("y", 1.0)], label="b"))
    assert [r.get("data-value") for r in bars.findall(f"{NS}rect")] == ["3", "1"]
    cells = ET.fromstring(heatmap(["f0", "f1"], ["1", "2"], [[0.1, None], [2.0, 0.0]],
                                  label="h", vmax=0.5)).findall(f"{NS}rect")
    assert [c.get("data-value") for c in cells] == ["0.1", "none", "2", "0"]
    assert cells[2].get("fill") == "rgb(255,0,0)" and cells[3].get("fill") == "rgb(255,255,255)"
