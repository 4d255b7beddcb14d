"""The monitor's C: `<name>_monitor.c/.h` (the spec's constants and the static state) beside
the hand-written runtime (runtime/monitor/) and Monocypher (fetched from its PyPI sdist at
build time, microforge.ota.crypto_sources; never committed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

from microforge.monitor.spec import FORM_FULL, FORM_TINY, MonitorSpec
from microforge.ota.crypto_sources import crypto_sources
from microforge.paths import RUNTIME_DIR
from microforge.version import __version__

MONITOR_RUNTIME_DIR = RUNTIME_DIR / "monitor"
MONITOR_RUNTIME = ("mf_monitor", "mf_cbor")
MONOCYPHER_FILES = ("monocypher.c", "monocypher.h", "LICENSE-monocypher.txt")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("microforge.monitor", "templates"),
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
)


def render_monitor(name: str, spec: MonitorSpec, conf_probs: list[float] | None = None,
                   margin_probs: list[float] | None = None) -> dict[str, str]:
    """{"<name>_monitor.h": ..., "<name>_monitor.c": ...}."""
    spec.check_tiny()
    prefix = f"mf_{name}"
    values = {
        "name": name, "prefix": prefix, "macro": prefix.upper(), "version": __version__,
        "period": spec.period_windows, "model_id": spec.model_id,
        "model_version": spec.model_version, "n_inputs": spec.n_inputs,
        "full_max": spec.max_record_bytes(FORM_FULL),
        "tiny_max": spec.max_record_bytes(FORM_TINY),
        "n_features": spec.n_features, "n_groups": spec.n_groups,
        "feature_bins": spec.feature_bins, "n_classes": spec.n_classes,
        "conf_bins": spec.conf_bins, "margin_bins": spec.margin_bins,
        "groups_text": ", ".join(map(str, spec.feature_groups)),
        "feature_group": ", ".join(f"{g}u" for g in spec.feature_groups),
        "feature_edges": [", ".join(map(_i32, row)) for row in spec.feature_edges],
        "conf_edges": ", ".join(map(str, spec.conf_edges)),
        "margin_edges": ", ".join(map(str, spec.margin_edges)),
        "conf_probs": _probs(conf_probs), "margin_probs": _probs(margin_probs),
    }
    return {
        f"{name}_monitor.h": _ENV.get_template("monitor.h.j2").render(**values),
        f"{name}_monitor.c": _ENV.get_template("monitor.c.j2").render(**values),
    }


def _i32(v: int) -> str:
    return "INT32_MIN" if v == -2**31 else str(v)


def _probs(values: list[float] | None) -> str:
    return "(not recorded)" if values is None else ", ".join(f"{v:g}" for v in values)


def write_monitor(name: str, spec: MonitorSpec, out_dir: Path,
                  conf_probs: list[float] | None = None,
                  margin_probs: list[float] | None = None) -> list[str]:
    """The generated monitor, its runtime and Monocypher (with its licence) into out_dir."""
    out_dir = Path(out_dir)
    written = []
    for filename, text in render_monitor(name, spec, conf_probs, margin_probs).items():
        (out_dir / filename).write_text(text, encoding="utf-8")
        written.append(filename)
    for stem in MONITOR_RUNTIME:
        for ext in (".h", ".c"):
            shutil.copy2(MONITOR_RUNTIME_DIR / f"{stem}{ext}", out_dir / f"{stem}{ext}")
            written.append(f"{stem}{ext}")
    crypto = crypto_sources()
    for filename in MONOCYPHER_FILES:
        shutil.copy2(crypto / filename, out_dir / filename)
        written.append(filename)
    return written
