"""`microforge search` on UCI HAR (examples/uci_har) for two boards, against the example's
hand-designed model (issue 16's benchmark).

    nice -n 10 .venv/bin/python -m bench.search_har [--trials 12] [--max-epochs 10] [--ray]
                                                    [--write-docs]

Per board: the example's own config trained and scored as one more trial (params {}: the
hand-designed cnn1d, width 1, raw windows, PTQ), then a search of `--trials` trials with
objectives accuracy and instructions (NSGA-II) and a 100 ms latency budget; all with the same
epoch cap, the same split (the example's 9 subjects, 20 % of them for validation) and the
same cost measurement. `--ray` repeats the first board's search as Ray tasks (2 workers, a
local cluster) for the wall time. `--write-docs` replaces the "## Model search (issue 16)"
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.doc_section import markdown_table, write_section

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "uci_har" / "microforge.toml"
BOARDS = ("stm32f103c8_bluepill", "arduino_nano_33_ble_sense")
LATENCY_MS = 100.0
SECTION = "## Model search (issue 16)"


def project_copy(folder: Path) -> Path:
    """The example's config with a [search] section, in `folder` (dataset path absolute)."""
    import tomllib

    from microforge.toml_text import to_toml

    doc = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    doc["dataset"]["path"] = str((CONFIG.parent / doc["dataset"]["path"]).resolve())
    doc["project"]["output_dir"] = str(folder / "build")
    doc["search"] = {"objectives": ["accuracy", "instructions"], "latency_ms": LATENCY_MS}
    path = folder / "microforge.toml"
    path.write_text(to_toml(doc), encoding="utf-8")
    return path


def baseline(config: Path, board: str, max_epochs: int) -> dict[str, Any]:
    from microforge.search.cost import resolve_method
    from microforge.search.trial import TrialJob, run_trial
    from microforge.targets.boards import load_board

    return run_trial(TrialJob(-1, str(config), {}, board, LATENCY_MS,
                              resolve_method("auto", load_board(board)), max_epochs, 0.2))


def search(config: Path, board: str, trials: int, max_epochs: int, out: Path,
           workers: int = 1, ray: str | None = None) -> tuple[list[dict[str, Any]], float]:
    from microforge.search.settings import resolve_settings
    from microforge.search.study import run_search

    started = time.perf_counter()
    settings = resolve_settings(config, board=board, trials=trials, max_epochs=max_epochs,
                                workers=workers, ray=ray, out=out)
    run = run_search(settings, lambda r, _: print(f"  trial {r['number']}: {r['state']} "
                                                    f"{r.get('accuracy')} {r['reason']}"))
    return run.trials, time.perf_counter() - started


def _row(label: str, t: dict[str, Any]) -> list[str]:
    cost = t.get("cost") or {}

    def kb(key: str) -> str:
        return f"{cost[key] / 1024:.1f}" if cost.get(key) is not None else "-"

    acc = "-" if t.get("accuracy") is None else f"{100 * t['accuracy']:.1f}"
    instr = "-" if cost.get("instructions") is None else f"{cost['instructions'] / 1e6:.3f}"
    ms = "-" if cost.get("latency_ms") is None else f"{cost['latency_ms']:.1f}"
    values = ", ".join(f"{k.rsplit('.', 1)[-1]}={v:.4g}" if isinstance(v, float)
                       else f"{k.rsplit('.', 1)[-1]}={v}" for k, v in t["params"].items())
    return [label, str(t["state"]), acc, kb("ram_bytes"), kb("flash_bytes"), instr, ms,
            values or "the example's config"]


def main() -> None:
    from microforge.search.results import pareto_front

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--max-epochs", type=int, default=10)
    parser.add_argument("--ray", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mf_bench_search_"))
    lines = [SECTION, "",
             f"`python -m bench.search_har --trials {args.trials} --max-epochs "
             f"{args.max_epochs}{' --ray' if args.ray else ''}`: UCI HAR (the example's data, "
             "raw windows, 9 subjects), objectives accuracy and instructions (NSGA-II), "
             f"latency budget {LATENCY_MS:g} ms, every trial capped at {args.max_epochs} "
             "epochs, validation accuracy (int8, TFLM) on 2 of the 9 subjects held out by the "
             "search's split. \"hand-designed\" is the example's own config trained the same "
             "way. Costs: the whole C pipeline (DSP, network, post-processing) on the board's "
             "emulated core, measured before training.",
             ""]
    header = ["trial", "state", "val acc %", "RAM KB", "flash KB", "M instr", "ms", "values"]
    try:
        config = project_copy(work)
        for i, board in enumerate(BOARDS):
            print(f"== {board}")
            base = baseline(config, board, args.max_epochs)
            trials, seconds = search(config, board, args.trials, args.max_epochs,
                                     work / board)
            front = pareto_front(trials)
            rows = [_row("hand-designed", base)]
            rows += [_row(f"{t['number']} (Pareto)", t) for t in front]
            n_trained = sum(1 for t in trials if t["state"] == "trained")
            n_over = sum(1 for t in trials if t["state"] == "infeasible")
            lines += [f"### {board}", "",
                      f"{len(trials)} trials in {seconds / 60:.1f} min (1 worker): "
                      f"{n_trained} trained, {n_over} over budget (not trained).", "",
                      markdown_table(header, "llrrrrrl", rows), ""]
            if args.ray and i == 0:
                _, ray_seconds = search(config, board, args.trials, args.max_epochs,
                                        work / f"{board}_ray", workers=2, ray="local")
                lines += [f"The same {args.trials} trials as Ray tasks (local cluster, 2 "
                          f"workers): {ray_seconds / 60:.1f} min.", ""]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(lines)
    print(text)
    if args.write_docs:
        write_section(ROOT / "docs" / "benchmarks.md", SECTION, text)


if __name__ == "__main__":
    main()
