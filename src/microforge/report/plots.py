"""Report plots as base64 PNG strings (matplotlib Agg canvas; pyplot and its global state unused)."""

from __future__ import annotations

import base64
import io

import numpy as np

from microforge.train.metrics import Metrics


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png_base64(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def confusion_png(metrics: Metrics, title: str) -> str:
    """Confusion matrix, colour = row-normalized recall, text = counts."""
    counts = metrics.confusion
    n = len(metrics.class_names)
    rows = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, rows, out=np.zeros(counts.shape, float), where=rows > 0)
    size = 2.5 + 0.45 * n
    fig = _figure(size, size)
    ax = fig.add_subplot()
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n), metrics.class_names, rotation=45, ha="right")
    ax.set_yticks(range(n), metrics.class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    for i in range(n):
        for j in range(n):
            if counts[i, j]:
                color = "white" if share[i, j] > 0.5 else "black"
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", color=color, fontsize=8)
    return _png_base64(fig)


def accuracy_png(
    labels: list[str], float_acc: list[float | None], int8_acc: list[float | None]
) -> str:
    """Grouped bars: float vs int8 accuracy per fold (or one group for the whole run)."""
    fig = _figure(max(4.0, 1.0 + 0.8 * len(labels)), 3.0)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    for offset, values, name in ((-0.2, float_acc, "float"), (0.2, int8_acc, "int8")):
        heights = [100 * v if v is not None else 0 for v in values]
        ax.bar(x + offset, heights, width=0.4, label=name)
    ax.set_xticks(x, labels)
    ax.set_ylim(0, 100)
    ax.set_ylabel("accuracy %")
    ax.legend(loc="lower right")
    return _png_base64(fig)


def tradeoff_png(variants: list[dict]) -> str | None:
    """Accuracy vs flash and vs instructions (or MACs); marker area ~ RAM. `variants` are the
    rows of the optimization section (technique, accuracy, flash_bytes, ram_bytes, ...)."""
    rows = [v for v in variants if v.get("accuracy") is not None and v.get("flash_bytes")]
    if not rows:
        return None
    use_instr = any(v.get("instructions") for v in rows)  # those without are left out there
    x2_key, x2_label = ("instructions", "instructions / inference (Cortex-M4)") if use_instr \
        else ("macs", "MACs / inference")
    rams = [v.get("ram_bytes") or 0 for v in rows]
    top = max(max(rams), 1)
    sizes = [30 + 400 * r / top for r in rams]
    fig = _figure(11.0, 4.0)
    colors = [f"C{i % 10}" for i in range(len(rows))]  # one colour per variant in both panels
    for pos, (key, label) in enumerate((("flash_bytes", "flash (KB)"), (x2_key, x2_label))):
        ax = fig.add_subplot(1, 2, pos + 1)
        scale = 1024 if key == "flash_bytes" else 1
        for v, size, color in zip(rows, sizes, colors, strict=True):
            if v.get(key) is None:
                continue
            ax.scatter([v[key] / scale], [100 * v["accuracy"]], s=size, alpha=0.6, color=color,
                       edgecolors="black", linewidths=0.5, label=v["technique"])
        ax.set_xlabel(label)
        ax.set_ylabel("accuracy % (mean over folds)")
        ax.grid(alpha=0.3)
        if pos == 0:
            handles, names = ax.get_legend_handles_labels()  # every variant has a flash figure
        else:
            ax.legend(handles, names, fontsize=7, markerscale=0.5, loc="center left",
                      bbox_to_anchor=(1.02, 0.5))
    fig.suptitle("trade-offs (marker area ~ RAM)", fontsize=10)
    return _png_base64(fig)
