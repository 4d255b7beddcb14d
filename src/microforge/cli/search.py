"""`microforge search`: constraint-aware model search, and `--apply N` to keep a trial."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from microforge.cli import app, console


def _line(t: dict[str, Any]) -> str:
    cost = t.get("cost") or {}
    head = f"trial {t['number']}: {t['state']}"
    if t.get("accuracy") is not None:
        head += f", val {100 * t['accuracy']:.1f} %"
    if cost:
        latency = cost.get("latency_ms")
        head += (f", RAM {cost['ram_bytes'] / 1024:.1f} KB, flash "
                 f"{cost['flash_bytes'] / 1024:.1f} KB")
        if cost.get("instructions") is not None:
            head += f", {cost['instructions'] / 1e6:.3f} M instr"
        if latency is not None:
            head += f" ({latency:.2f} ms)"
    if t.get("reason"):
        head += f" - {t['reason']}"
    return head


def _status(trials: list[dict[str, Any]]) -> str:
    done = [t for t in trials if t.get("state") not in (None, "running")]
    best = max((t for t in done if t.get("accuracy") is not None),
               key=lambda t: t["accuracy"], default=None)
    feasible = sum(1 for t in done if t.get("feasible"))
    text = f"feasible {feasible}/{len(done)}"
    for state in ("pruned", "failed"):
        count = sum(1 for t in done if t.get("state") == state)
        if count:
            text += f", {state} {count}"
    if best is not None:
        text += f", best {100 * best['accuracy']:.1f} % (trial {best['number']})"
    return text


@app.command()
def search(
    config: Path = typer.Argument(Path("microforge.toml"),
                                  help="Project config file (or its folder)."),
    board: str | None = typer.Option(None, "--board", "-b",
                                     help="Board whose RAM, flash and clock are the budget "
                                          "(default: \\[search] board or \\[target] board)."),
    trials: int | None = typer.Option(None, "--trials", "-n",
                                      help="Trials to run now (default: \\[search] trials)."),
    workers: int | None = typer.Option(None, "--workers", "-w",
                                       help="Trials trained at once, one process each."),
    max_epochs: int | None = typer.Option(None, "--max-epochs",
                                          help="Cap on training epochs per trial."),
    ray: str | None = typer.Option(None, "--ray",
                                   help="Run the trials as Ray tasks: auto, local or "
                                        "host:port (pip install 'microforge\\[scale]')."),
    out: Path | None = typer.Option(None, "--out", "-o",
                                    help="Folder for search/ (default: the project's "
                                         "output folder)."),
    seed: int | None = typer.Option(None, "--seed", help="Sampler seed (\\[search] seed)."),
    trial_timeout: float | None = typer.Option(
        None, "--trial-timeout", metavar="SECONDS",
        help="Time limit per trial: each trial in its own process, killed and failed at the "
             "limit (\\[search] trial_timeout)."),
    apply: int | None = typer.Option(None, "--apply",
                                     help="Write trial N's config as microforge.trial<N>.toml."),
    force: bool = typer.Option(False, "--force", help="With --apply: replace that file."),
) -> None:
    """Search windows, DSP, network and quantization for the best accuracy that fits the
    board; candidates over its RAM, flash or latency budget are never trained."""
    from microforge.search.settings import resolve_settings

    settings = resolve_settings(config, board=board, trials=trials, workers=workers,
                                max_epochs=max_epochs, out=out, seed=seed, ray=ray,
                                trial_timeout=trial_timeout)
    if apply is not None:
        from microforge.search.apply import apply_trial

        path = apply_trial(settings, apply, force)
        console.print(f"wrote {escape(str(path))}; `microforge run {escape(str(path))}` "
                      "trains it", highlight=False)
        return
    if ray is not None:
        from microforge.search.executors import import_ray

        import_ray()  # one line, before anything starts, when Ray is missing
    from microforge.search.report import write_report
    from microforge.search.study import run_search

    console.print(f"search: {settings.project}, budget {settings.board.id} "
                  f"(RAM {settings.board.ram_kb} KB, flash {settings.board.flash_kb} KB"
                  + (f", {settings.latency_ms:g} ms" if settings.latency_ms else "")
                  + f"), {settings.trials} trials, cost: {settings.cost_method}, pruning: "
                  f"{settings.pruner}"
                  + (f", time limit {settings.trial_timeout:g} s per trial"
                     if settings.trial_timeout else "")
                  + ", study "
                  f"{escape(str(settings.study_db))}", highlight=False)
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("trials", total=settings.trials)

        def report(result: dict[str, Any], all_trials: list[dict[str, Any]]) -> None:
            bar.console.print(escape(_line(result)), highlight=False)
            bar.update(task, advance=1, description=_status(all_trials))

        run = run_search(settings, report)
    files = write_report(settings, run.trials)
    console.print(f"{run.new} trials ({run.executor}); {_status(run.trials)}; "
                  f"{len(run.trials)} in the study", highlight=False)
    console.print(f"report: {escape(str(files[0]))}; trials: "
                  f"{escape(str(settings.trials_json))}", highlight=False)
