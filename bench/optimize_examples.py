"""Every optimization technique on the UCI HAR and Speech Commands examples (issue 6).

    .venv/bin/python -m bench.optimize_examples run har [--epochs 20 --finetune-epochs 5]
    .venv/bin/python -m bench.optimize_examples run speech [...]
    .venv/bin/python -m bench.optimize_examples doc     # table -> docs/benchmarks.md

`run` copies the example's microforge.toml to build/bench/optimize/<name>/ (absolute dataset
path, the overrides applied, all techniques) and runs `microforge optimize` on it; `doc` writes
both trade-off tables into docs/benchmarks.md, section "## Optimization trade-offs (issue 6)".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import tomllib
from pathlib import Path

from bench.doc_section import write_section
from microforge.atomic import atomic_write_json
from microforge.demo import _to_toml
from microforge.optimize.tradeoff import markdown_table

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench" / "optimize"
EXAMPLES = {"har": "uci_har", "speech": "speech_commands"}
TITLES = {"har": "UCI HAR, 3-fold cross-validation by subject",
          "speech": "Speech Commands subset, one held-out split by speaker (59 test clips: "
                    "one clip is 1.7 points; no cross-validation, so the std is 0)"}
HEADING = "## Optimization trade-offs (issue 6)"


def bench_config(name: str, args: argparse.Namespace) -> Path:
    """The example's config with the overrides, written under build/bench/optimize/<name>."""
    example = ROOT / "examples" / EXAMPLES[name]
    config = tomllib.loads((example / "microforge.toml").read_text(encoding="utf-8"))
    config["dataset"]["path"] = str((example / config["dataset"]["path"]).resolve())
    folder = OUT / name
    config["project"]["output_dir"] = str(folder)
    if args.epochs:
        config["training"]["epochs"] = args.epochs
    config["optimize"] = {**config.get("optimize", {}), "finetune_epochs": args.finetune_epochs,
                          "teacher_width": args.teacher_width}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "microforge.toml"
    text = _to_toml(config, config["training"].get("seed", 0))
    path.write_text(text.replace("microforge demo", "bench/optimize_examples.py"), encoding="utf-8")
    return path


def run(name: str, args: argparse.Namespace) -> None:
    path = bench_config(name, args)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    started = time.perf_counter()
    command = [str(ROOT / ".venv" / "bin" / "microforge"), "optimize", str(path)]
    subprocess.run(command, check=True)
    atomic_write_json(OUT / name / "bench_run.json", {
        "command": f"microforge optimize {path.relative_to(ROOT)}",
        "epochs": args.epochs, "finetune_epochs": args.finetune_epochs,
        "teacher_width": args.teacher_width, "commit": commit,
        "wall_seconds": round(time.perf_counter() - started, 1),
    })


def rerank(section: dict, folder: Path) -> dict:
    """The recommendations recomputed from the saved figures with the current rule."""
    from microforge.config import load_config
    from microforge.optimize.recommend import recommend
    from microforge.optimize.variants import VariantResult
    from microforge.targets.boards import load_board

    config = load_config(folder / "microforge.toml")
    ids = [config.target.board] + [b for b in config.target.compare if b != config.target.board]
    variants = [VariantResult.from_dict(v) for v in section["variants"]]
    built = [v for v in variants if v.skipped is None]
    budget = section["latency_budget_ms"]
    recs = recommend(built, [load_board(b) for b in ids], budget)
    return {**section, "recommendations": [r.to_dict() for r in recs]}


def versus_int8(section: dict) -> list[str]:
    """One line per variant: accuracy, flash, RAM and instructions (or MACs) against ptq_int8."""
    rows = {v["technique"]: v for v in section["variants"] if v["skipped"] is None}
    base = rows.get("ptq_int8")
    if base is None or base["accuracy"] is None:
        return []

    def ratio(v: dict, key: str) -> str:
        return f"{v[key] / base[key]:.2f}x" if v.get(key) and base.get(key) else "-"

    lines = ["Against ptq_int8 (accuracy in points; flash, RAM, instructions as ratios):", ""]
    for name, v in rows.items():
        if name == "ptq_int8" or v["accuracy"] is None:
            continue
        tflm = " (TFLM figures: .tflite and TFLM arena)" if v["deploy"] == "tflm" else ""
        lines.append(f"- {name}: {100 * (v['accuracy'] - base['accuracy']):+.1f} points, flash "
                     f"{ratio(v, 'flash_bytes')}, RAM {ratio(v, 'ram_bytes')}{tflm}, instructions "
                     f"{ratio(v, 'instructions')}, MACs {ratio(v, 'macs')}")
    return lines


def section_text() -> str:
    parts = [HEADING, "",
             "Produced by `.venv/bin/python -m bench.optimize_examples run har|speech` then `... doc`",
             "(each `run` is `microforge optimize` on a copy of the example config with the",
             "overrides below). Accuracy: test accuracy, mean ± std over the folds. Flash: the",
             "microforge C library built with `arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os`;",
             "RAM: its planned arena + I/O buffers; * = not compiled by microforge (16x8): the",
             ".tflite alone (TFLM adds 50-160 KB of runtime code) and the measured TFLM arena.",
             "Instructions: per inference on the emulated Cortex-M4 (`-` where not measured).",
             "Every variant except float32 and dynamic_range is int8 (PTQ after the technique).",
             ""]
    for name in EXAMPLES:
        folder = OUT / name
        section_file = folder / "optimize" / "optimization.json"
        if not section_file.is_file():
            continue
        section = rerank(json.loads(section_file.read_text(encoding="utf-8")), folder)
        info = json.loads((folder / "bench_run.json").read_text(encoding="utf-8"))
        parts += [f"### {TITLES[name]}", "",
                  f"`{info['command']}` at commit {info['commit']}: training.epochs "
                  f"{info['epochs'] or 'as in the example'}, finetune_epochs "
                  f"{info['finetune_epochs']}, teacher_width {info['teacher_width']:g}; "
                  f"folds {', '.join(section['folds'])}; {info['wall_seconds'] / 60:.1f} min "
                  "wall time on the shared 2-core machine.", "",
                  markdown_table(section), ""]
        notes = [f"- {v['technique']}: {v['note']}" for v in section["variants"] if v["note"]]
        parts += notes + ([""] if notes else [])
        parts += versus_int8(section) + [""]
    return "\n".join(parts)


def write_doc() -> None:
    write_section(ROOT / "docs" / "benchmarks.md", HEADING, section_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["run", "doc"])
    parser.add_argument("example", nargs="?", choices=sorted(EXAMPLES))
    parser.add_argument("--epochs", type=int, default=None, help="training.epochs override")
    parser.add_argument("--finetune-epochs", type=int, default=5)
    parser.add_argument("--teacher-width", type=float, default=2.0)
    args = parser.parse_args()
    if args.action == "run":
        if args.example is None:
            parser.error("run needs an example: har or speech")
        run(args.example, args)
    else:
        write_doc()


if __name__ == "__main__":
    main()
