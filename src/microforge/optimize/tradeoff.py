"""The trade-off report of an optimize run: one table, one plot, recommendations per board.

`microforge.report.tradeoff.write_tradeoff` writes it to `<output>/optimize/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.optimize.recommend import Recommendation, recommend
from microforge.optimize.variants import OptimizeRun
from microforge.targets.boards import load_board
from microforge.workspace.data import ProjectData

TABLE_COLUMNS = ("variant", "format", "accuracy % (mean ± std)", "params", ".tflite B",
                 "flash B", "RAM B", "MACs", "instructions")


@dataclass
class TradeoffReport:
    run: OptimizeRun
    recommendations: list[Recommendation]
    latency_budget_ms: float

    def section(self) -> dict:
        """JSON-ready "optimization" section of report.json."""
        return {
            "folds": list(self.run.folds),
            "latency_budget_ms": self.latency_budget_ms,
            "variants": [v.to_dict() for v in self.run.variants],
            "recommendations": [r.to_dict() for r in self.recommendations],
            "baseline_train_seconds": round(self.run.baseline_train_seconds, 1),
            "seconds": round(self.run.seconds, 1),
        }

    def table_rows(self) -> list[tuple[str, ...]]:
        return [table_row(v.to_dict()) for v in self.run.variants]


def _num(value: int | None, mark: str = "") -> str:
    return "-" if value is None else f"{value:,}{mark}"


def table_row(v: dict) -> tuple[str, ...]:
    """One row of the trade-off table from `VariantResult.to_dict()` (strings, as printed)."""
    if v["skipped"] is not None:
        return (v["technique"], v["format"], f"skipped: {v['skipped']}", *("-",) * 6)
    acc = ("-" if v["accuracy"] is None
           else f"{100 * v['accuracy']:.1f} ± {100 * v['accuracy_std']:.1f}")
    tflm = " *" if v["deploy"] == "tflm" else ""
    return (v["technique"], v["format"], acc, _num(v["params"]), _num(v["tflite_bytes"]),
            _num(v["flash_bytes"], tflm), _num(v["ram_bytes"], tflm), _num(v["macs"]),
            _num(v["instructions"]))


def board_ids(project: ProjectData) -> list[str]:
    target = project.config.target
    return [target.board] + [b for b in target.compare if b != target.board]


def tradeoff_report(project: ProjectData, run: OptimizeRun) -> TradeoffReport:
    budget = project.config.optimize.latency_budget_ms
    boards = [load_board(b) for b in board_ids(project)]
    return TradeoffReport(run, recommend(run.built(), boards, budget), budget)


def markdown_table(section: dict) -> str:
    """The trade-off table and the recommendations of an "optimization" section, as Markdown."""
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |",
             "|" + "---|" * 2 + "---:|" * (len(TABLE_COLUMNS) - 2)]
    lines += ["| " + " | ".join(table_row(v)) + " |" for v in section["variants"]]
    lines += ["", f"| board | recommended (budget {section['latency_budget_ms']:g} ms) | "
              "accuracy % | latency ms | latency from |", "|---|---|---:|---:|---|"]
    for r in section["recommendations"]:
        acc = "-" if r["accuracy"] is None else f"{100 * r['accuracy']:.1f}"
        ms = "-" if r["latency_ms"] is None else f"{r['latency_ms']:.2f}"
        how = r["latency_source"] or r["reason"]
        lines.append(f"| {r['name']} | {r['technique'] or 'none'} | {acc} | {ms} | {how} |")
    return "\n".join(lines)
