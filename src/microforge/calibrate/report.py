"""calibration/det.png: false rejection rate against false activations per hour (the DET
curves of the tuning and the check stream, the target and the chosen point)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microforge.calibrate.project import Calibration


def write_calibration(folder: Path, result: Calibration) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for curve, name in ((result.tune_curve, f"tuning stream ({60 * result.tune_hours:.0f} min)"),
                        (result.check_curve,
                         f"check stream ({60 * result.check_hours:.0f} min)")):
        ax.step([p.false_activations_per_hour for p in curve],
                [100 * p.false_rejection_rate for p in curve], where="post", label=name)
    ax.axvline(result.target_per_hour, color="grey", linestyle=":", label="target")
    for point, marker in ((result.chosen, "o"), (result.on_check, "s")):
        if point is not None:
            ax.plot(point.false_activations_per_hour, 100 * point.false_rejection_rate,
                    marker, color="black")
    ax.set_xlabel("false activations per hour")
    ax.set_ylabel("false rejection rate (%)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = folder / "det.png"
    tmp = folder / "det.tmp.png"
    fig.savefig(tmp, dpi=100)
    plt.close(fig)
    tmp.replace(path)
    return [path]
