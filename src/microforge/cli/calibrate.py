"""`microforge calibrate`: tune a keyword detector's post-processing on a long stream."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from microforge.cli import app, console


@app.command()
def calibrate(
    config: Path = typer.Argument(Path("microforge.toml"),
                                  help="Trained project config file (or its folder)."),
    target: float = typer.Option(..., "--target",
                                 help="Most false activations per hour allowed."),
    seed: int = typer.Option(0, "--seed", help="Order of the clips in the streams."),
    force: bool = typer.Option(False, "--force",
                               help="Replace an existing microforge.calibrated.toml."),
) -> None:
    """Sweep the detector's averaging, threshold and suppression on a stream of held-out
    clips; write the post-processing meeting --target into microforge.calibrated.toml."""
    from microforge.calibrate.project import calibrate_project
    from microforge.search.candidate import config_file

    result = calibrate_project(config_file(config), target, seed, force)
    console.print(f"tuning stream {60 * result.tune_hours:.1f} min, check stream "
                  f"{60 * result.check_hours:.1f} min; keywords: {', '.join(result.keywords)}",
                  highlight=False)
    chosen, check = result.chosen, result.on_check
    if chosen is None or check is None:
        best = min(p.false_activations_per_hour for p in result.tune_curve)
        console.print(f"no post-processing reaches {target:g} false activations/h on the "
                      f"tuning stream (best {best:.1f}/h); nothing written", highlight=False)
        raise typer.Exit(1)
    console.print(f"chosen: average_windows {chosen.average_windows}, threshold "
                  f"{chosen.threshold:g}, suppression {chosen.suppression_ms:g} ms: "
                  f"{chosen.false_activations_per_hour:.1f} false activations/h, false "
                  f"rejection {100 * chosen.false_rejection_rate:.1f} % (tuning); "
                  f"{check.false_activations_per_hour:.1f}/h, "
                  f"{100 * check.false_rejection_rate:.1f} % (check)", highlight=False)
    for path in result.files:
        console.print(f"wrote {escape(str(path))}", highlight=False)
