"""UCI HAR, 3-fold by subject: structured pruning and knowledge distillation (issue 6).

    nice -n 10 .venv/bin/python -m bench.prune_distill [--epochs 30] [--finetune-epochs 15]
        [--student-epochs 15] [--folds 3] [--no-doc]

Per fold (examples/uci_har: data, folds, DSP block and augmentation of the pipeline):
1. the baseline cnn1d (width 1) is trained; it is also the teacher;
2. `prune_channels` removes half the channels of every hidden conv layer and fine-tunes;
3. a cnn1d student of width 0.45 (<= 1/4 of the parameters) is trained alone and by
   `distill` from the baseline, the same epochs, schedule and augmentation; fold i uses seed i
   (or every fold runs every seed of --student-seeds).
Accuracies are int8 through TFLM; MACs, weight bytes, arena and flash come from
microforge.compile. Writes the section "## Pruning and distillation (issue 6)" of
docs/benchmarks.md (replaced if present).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from bench.doc_section import write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Pruning and distillation (issue 6)"
STUDENT_WIDTH = 0.45
STUDENT_DROPOUT = 0.1


@dataclass
class Variant:
    accuracy: float  # int8, TFLM, test subjects of the fold
    float_accuracy: float
    params: int
    macs: int
    weight_bytes: int
    arena: int
    flash: int


@dataclass
class FoldFigures:
    name: str
    subjects: tuple[str, ...]
    seeds: tuple[int, ...]  # student seeds
    variants: dict[str, Variant] = field(default_factory=dict)  # students: mean over the seeds
    # per student seed: (seed, accuracy alone, accuracy distilled)
    student_runs: list[tuple[int, float, float]] = field(default_factory=list)
    seconds: float = 0.0  # training and measuring time (of the run that made the figures)


def measure(model, features) -> Variant:
    import microforge
    from microforge.train.quantize import predict_int8, quantize_int8

    x_test, y_test = features.x["test"], features.y["test"]
    int8 = quantize_int8(model, features.x["train"], n_samples=200, seed=0)
    _, labels = predict_int8(int8, x_test)
    float_labels = np.argmax(model.predict(x_test, verbose=0, batch_size=256), axis=-1)
    compiled = microforge.compile(int8)
    return Variant(
        accuracy=float(np.mean(labels == y_test)),
        float_accuracy=float(np.mean(float_labels == y_test)),
        params=int(model.count_params()),
        macs=int(compiled.info.macs),
        weight_bytes=int(compiled.weight_bytes),
        arena=int(compiled.arena_size),
        flash=int(compiled.flash_estimate()),
    )


def run_fold(project, fold, seeds: tuple[int, ...], args) -> FoldFigures:
    from microforge.optimize.distill import DistillParams, distill
    from microforge.optimize.prune_structured import StructuredPruneParams, prune_channels
    from microforge.pipeline.features import compute_features
    from microforge.train.augment import WindowAugmenter
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.zoo import build_model
    from microforge.workspace.specs import augment_params

    config = project.config
    dataset, windows = project.load()
    features = compute_features(config, fold, windows, dataset.sample_rate)
    raw = windows.x[fold.mask("train")]
    y = features.y["train"]
    std = raw.reshape(-1, raw.shape[-1]).std(axis=0)
    augmenter = WindowAugmenter(augment_params(config), dataset.channel_names, std)

    def augmented(batch, rng):
        return features.block.transform(augmenter(batch, rng)).astype(np.float32)

    shape, n_classes = features.input_shape, len(dataset.classes)
    lr = config.training.learning_rate
    figures = FoldFigures(fold.name, fold.test_groups, seeds)

    def train(width: float, dropout: float, epochs: int, model_seed: int):
        model = build_model("cnn1d", shape, n_classes, width=width, dropout=dropout,
                            seed=model_seed)
        params = TrainParams(epochs=epochs, batch_size=32, learning_rate=lr, seed=model_seed,
                             early_stopping_patience=0, class_weights=False,
                             lr_schedule="cosine", batch_transform=augmented)
        train_model(model, raw, y, params=params, progress=False)
        return model

    started = time.perf_counter()
    baseline = train(config.model.width, config.model.dropout, args.epochs, 0)
    figures.variants["baseline"] = measure(baseline, features)
    for key, alpha in (("pruned_labels", 0.0), ("pruned", args.prune_distill_alpha)):
        prune = StructuredPruneParams(
            fraction=config.optimize.prune_channels, epochs=args.finetune_epochs,
            learning_rate=args.finetune_lr, seed=0, distill_alpha=alpha,
            distill_temperature=config.optimize.temperature, batch_transform=augmented)
        figures.variants[key] = measure(prune_channels(baseline, raw, y, None, None, prune),
                                        features)
    alone, distilled = [], []
    for seed in seeds:
        alone.append(measure(train(STUDENT_WIDTH, STUDENT_DROPOUT, args.student_epochs, seed),
                             features))
        student = build_model("cnn1d", shape, n_classes, width=STUDENT_WIDTH,
                              dropout=STUDENT_DROPOUT, seed=seed)
        kd = DistillParams(temperature=config.optimize.temperature, alpha=config.optimize.alpha,
                           epochs=args.student_epochs, learning_rate=lr, seed=seed,
                           batch_transform=augmented)
        distilled.append(measure(distill(baseline, student, raw, y, None, None, kd), features))
        figures.student_runs.append((seed, alone[-1].accuracy, distilled[-1].accuracy))
    for key, runs in (("student", alone), ("distilled", distilled)):
        figures.variants[key] = replace(runs[0], accuracy=float(np.mean([r.accuracy for r in runs])),
                                        float_accuracy=float(np.mean([r.float_accuracy
                                                                      for r in runs])))
    accs = ", ".join(f"{k} {100 * v.accuracy:.1f}" for k, v in figures.variants.items())
    print(f"{fold.name}: {accs} ({time.perf_counter() - started:.0f} s)", flush=True)
    return figures


def _mean(folds: list[FoldFigures], variant: str, attr: str = "accuracy") -> float:
    return float(np.mean([getattr(f.variants[variant], attr) for f in folds]))


def section_text(folds: list[FoldFigures], args, seconds: float) -> str:
    base, pruned = folds[0].variants["baseline"], folds[0].variants["pruned"]
    lines = [
        SECTION, "",
        "Command: `nice -n 10 .venv/bin/python -m bench.prune_distill "
        f"--epochs {args.epochs} --finetune-epochs {args.finetune_epochs} "
        f"--student-epochs {args.student_epochs} --finetune-lr {args.finetune_lr:g} "
        f"--prune-distill-alpha {args.prune_distill_alpha:g}"
        + (f" --student-seeds {' '.join(map(str, args.student_seeds))}" if args.student_seeds
           else "")
        + f"` ({seconds / 60:.1f} min on the shared "
        "2-core machine). UCI HAR as in the foundation benchmark (3 folds by subject, raw "
        "standardised windows, window augmentation every batch, cosine schedule), but "
        f"{args.epochs} epochs instead of 50 to fit the time budget of the benchmark. Accuracy is int8 in TFLM "
        "on the fold's test subjects; MACs, weight bytes and arena from `microforge.compile`, "
        "flash from `flash_estimate()` (the generated library at -Os for a Cortex-M4).", "",
        "### Structured pruning", "",
        f"`prune_channels`: {100 * args.fraction:.0f} % of the channels of conv1/conv2/conv3 "
        f"removed (L1 norm of the BN-folded filters), then {args.finetune_epochs} epochs of "
        f"fine-tuning (Adam {args.finetune_lr:g}, cosine, same augmentation), "
        + (f"by distillation from the unpruned model (`distill_alpha={args.prune_distill_alpha:g}`"
           f", T = {args.temperature:g})." if args.prune_distill_alpha > 0 else "on the labels.")
        + " The same fine-tuning on the labels only is shown for comparison.", "",
        "| fold | test subjects | baseline % | pruned, labels % | pruned, distilled % | "
        "pruned (distilled) - baseline |",
        "|---|---|---|---|---|---|",
    ]
    for f in folds:
        b, pl, p = (f.variants[k].accuracy for k in ("baseline", "pruned_labels", "pruned"))
        lines.append(f"| {f.name} | {', '.join(f.subjects)} | {100 * b:.1f} | {100 * pl:.1f} | "
                     f"{100 * p:.1f} | {100 * (p - b):+.1f} |")
    mb, ml, mp = (_mean(folds, k) for k in ("baseline", "pruned_labels", "pruned"))
    lines += [f"| **mean** | | **{100 * mb:.1f}** | **{100 * ml:.1f}** | **{100 * mp:.1f}** | "
              f"**{100 * (mp - mb):+.1f}** |", "",
              "| model | parameters | MACs | weight bytes | arena bytes | flash bytes |",
              "|---|---|---|---|---|---|"]
    for label, v in (("baseline", base), ("pruned", pruned)):
        lines.append(f"| {label} | {v.params:,} | {v.macs:,} | {v.weight_bytes:,} | "
                     f"{v.arena:,} | {v.flash:,} |")
    lines += ["", f"Pruned / baseline: MACs {pruned.macs / base.macs:.2f}x, weights "
              f"{pruned.weight_bytes / base.weight_bytes:.2f}x, arena "
              f"{pruned.arena / base.arena:.2f}x, flash {pruned.flash / base.flash:.2f}x; "
              f"mean accuracy change {100 * (mp - mb):+.1f} points with distillation, "
              f"{100 * (ml - mb):+.1f} with labels only (goal: MACs and flash <= 0.5x, drop "
              "<= 1 point).", "", "### Knowledge distillation", ""]
    student = folds[0].variants["student"]
    lines += [
        f"Teacher: the baseline above ({base.params:,} parameters). Student: cnn1d width "
        f"{STUDENT_WIDTH} ({student.params:,} parameters, "
        f"{student.params / base.params:.2f}x), dropout {STUDENT_DROPOUT}, "
        f"{args.student_epochs} epochs, trained alone (labels) or by `distill` (T = "
        f"{args.temperature:g}, alpha = {args.alpha:g}), same schedule and augmentation; "
        + ("fold i uses seed i (seeds 0, 1, 2)." if all(len(f.seeds) == 1 for f in folds)
           else "every fold runs every seed."), "",
        "| fold | seed | teacher % | student alone % | distilled student % | distilled - alone |",
        "|---|---|---|---|---|---|",
    ]
    for f in folds:
        t = f.variants["baseline"].accuracy
        for seed, a, d in f.student_runs:
            lines.append(f"| {f.name} | {seed} | {100 * t:.1f} | {100 * a:.1f} | {100 * d:.1f} | "
                         f"{100 * (d - a):+.1f} |")
    mt, ma, md = (_mean(folds, k) for k in ("baseline", "student", "distilled"))
    gains = [d - a for f in folds for _, a, d in f.student_runs]
    lines += [f"| **mean** | | **{100 * mt:.1f}** | **{100 * ma:.1f}** | **{100 * md:.1f}** | "
              f"**{100 * (md - ma):+.1f}** |", "",
              f"Distilled student vs teacher {100 * (md - mt):+.1f} points (goal: within 2), "
              f"vs the student alone {100 * (md - ma):+.1f} points (goal: > 0). Student MACs "
              f"{student.macs:,} ({student.macs / base.macs:.2f}x), flash {student.flash:,} B. "
              + ("Each seed runs on a different fold, so seed and fold variation are mixed: per"
                 if all(len(f.seeds) == 1 for f in folds) else "Per")
              + f" (fold, seed) the distilled student is {100 * min(gains):+.1f} to "
              f"{100 * max(gains):+.1f} points from the student alone, better in "
              f"{sum(g > 0 for g in gains)} of {len(gains)}.", ""]
    return "\n".join(lines)


def main() -> None:
    from microforge.project import Project

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--finetune-epochs", type=int, default=25)
    parser.add_argument("--finetune-lr", type=float, default=2e-3)
    parser.add_argument("--student-epochs", type=int, default=12)
    parser.add_argument("--prune-distill-alpha", type=float, default=0.5,
                        help="fine-tune the pruned model by distillation from the baseline "
                        "(0: labels only)")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--student-seeds", type=int, nargs="+", default=None,
                        help="student seeds run on every fold (default: fold i uses seed i)")
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "prune_distill",
                        help="per-fold figures (JSON); a rerun with the same settings reuses them")
    args = parser.parse_args()
    started = time.perf_counter()  # data loading; each fold's time is added when it ran
    project = Project.from_toml(ROOT / "examples" / "uci_har" / "microforge.toml")
    args.fraction = project.config.optimize.prune_channels
    args.temperature = project.config.optimize.temperature
    args.alpha = project.config.optimize.alpha
    folds = [f for f in project.folds() if not f.is_final][: args.folds]
    project.load()
    load_seconds = time.perf_counter() - started
    figures = [_cached_fold(project, fold, tuple(args.student_seeds or [i]), args)
               for i, fold in enumerate(folds)]
    seconds = sum(f.seconds for f in figures) + load_seconds
    text = section_text(figures, args, seconds)
    print(text)
    if not args.no_doc:
        write_section(args.doc, SECTION, text)


def _cached_fold(project, fold, seeds: tuple[int, ...], args) -> FoldFigures:
    """run_fold, or its figures from an earlier run with the same settings."""
    import json

    settings = {k: getattr(args, k) for k in ("epochs", "finetune_epochs", "finetune_lr",
                                              "student_epochs", "prune_distill_alpha")}
    settings["student_seeds"] = list(seeds)
    path = args.out / f"{fold.name}.json"
    if path.is_file():
        saved = json.loads(path.read_text("utf-8"))
        if saved["settings"] == settings:
            figures = FoldFigures(saved["name"], tuple(saved["subjects"]), tuple(seeds))
            figures.student_runs = [tuple(run) for run in saved["student_runs"]]
            figures.variants = {k: Variant(**v) for k, v in saved["variants"].items()}
            figures.seconds = saved["seconds"]
            print(f"{fold.name}: reused {path}", flush=True)
            return figures
    started = time.perf_counter()
    figures = run_fold(project, fold, seeds, args)
    figures.seconds = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"settings": settings, "name": figures.name,
                                "subjects": list(figures.subjects),
                                "student_runs": figures.student_runs,
                                "seconds": figures.seconds,
                                "variants": {k: asdict(v) for k, v in figures.variants.items()}},
                               indent=1), "utf-8")
    return figures


if __name__ == "__main__":
    main()
