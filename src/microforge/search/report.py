"""The search report: search/report.md with every trial, the Pareto table and the chosen
candidate, and search/pareto.png (validation accuracy against instructions and against RAM)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microforge.atomic import atomic_write_text
from microforge.search.results import chosen, pareto_front, trained
from microforge.search.settings import SearchSettings


def _kb(value: Any) -> str:
    return "-" if value is None else f"{value / 1024:.1f}"


def _m(value: Any) -> str:
    return "-" if value is None else f"{value / 1e6:.3f}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _params(t: dict[str, Any]) -> str:
    return ", ".join(f"{k.rsplit('.', 1)[-1]}={v:.4g}" if isinstance(v, float)
                     else f"{k.rsplit('.', 1)[-1]}={v}" for k, v in t.get("params", {}).items())


def trial_row(t: dict[str, Any]) -> list[str]:
    cost = t.get("cost") or {}
    latency = cost.get("latency_ms")
    return [str(t["number"]), str(t.get("state")), _pct(t.get("accuracy")),
            _kb(cost.get("ram_bytes")), _kb(cost.get("flash_bytes")),
            _m(cost.get("instructions")), "-" if latency is None else f"{latency:.2f}",
            _params(t), str(t.get("reason") or "")]


HEADER = ["trial", "state", "val acc %", "RAM KB", "flash KB", "M instr", "ms", "values",
          "reason"]


def _table(rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    return lines


def write_report(settings: SearchSettings, trials: list[dict[str, Any]]) -> list[Path]:
    folder = settings.folder
    front = pareto_front(trials)
    best = chosen(trials)
    feasible = sum(1 for t in trials if t.get("feasible"))
    lines = [f"# Search: {settings.project} on {settings.board.name} ({settings.board.id})", "",
             f"Budget: RAM {settings.board.ram_kb} KB, flash {settings.board.flash_kb} KB"
             + (f", latency {settings.latency_ms:g} ms at {settings.board.clock_mhz:g} MHz"
                if settings.latency_ms else "")
             + f". Objectives: {', '.join(settings.objectives)}. Seed {settings.seed}; "
             f"cost: {settings.cost_method}.", "",
             f"{len(trials)} trials: {len(trained(trials))} trained, {feasible} feasible, "
             f"{sum(1 for t in trials if t.get('state') == 'infeasible')} over budget (never "
             f"trained), {sum(1 for t in trials if t.get('state') == 'pruned')} pruned on "
             f"validation loss, {sum(1 for t in trials if t.get('state') == 'failed')} "
             "failed. Accuracy: int8 model, validation groups of the project's split. "
             "RAM/flash/instructions: "
             + ("the whole C pipeline (DSP, network, post-processing) on the emulated core"
                if settings.cost_method == "emulator" else
                "the network alone, estimated by the per-op cost model (no DSP)")
             + ", measured before training with the untrained int8 network of the same "
             "shape.", ""]
    if best is not None:
        lines += [f"Chosen: trial {best['number']} ({_pct(best['accuracy'])} %); "
                  f"`microforge search {settings.config_path.parent} --apply "
                  f"{best['number']}` writes its config.", ""]
    lines += ["## Pareto front (accuracy vs instructions vs RAM)", ""]
    lines += _table([trial_row(t) for t in front]) + [""]
    lines += ["![accuracy vs cost](pareto.png)", "", "## Every trial", ""]
    lines += _table([trial_row(t) for t in trials]) + [""]
    lines += ["## Space", ""] + [f"- {d.describe()}" for d in settings.space] + [""]
    report = folder / "report.md"
    atomic_write_text(report, "\n".join(lines))
    written = [report]
    plot = _plot(folder / "pareto.png", trials, front)
    if plot is not None:
        written.append(plot)
    return written


def _plot(path: Path, trials: list[dict[str, Any]], front: list[dict[str, Any]]) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pool = [t for t in trained(trials) if (t.get("cost") or {}).get("instructions")]
    if not pool:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    on_front = {t["number"] for t in front}
    for ax, key, scale, label in ((axes[0], "instructions", 1e6, "instructions (M)"),
                                  (axes[1], "ram_bytes", 1024, "RAM (KB)")):
        for t in pool:
            x = t["cost"][key] / scale
            ax.scatter(x, 100 * t["accuracy"], c="tab:red" if t["number"] in on_front
                       else "tab:blue", s=30)
            ax.annotate(str(t["number"]), (x, 100 * t["accuracy"]), fontsize=7)
        ax.set_xlabel(label)
        ax.set_ylabel("validation accuracy (%)")
        ax.grid(alpha=0.3)
    fig.suptitle("trained trials (red: Pareto front)")
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=100)
    plt.close(fig)
    tmp.replace(path)
    return path
