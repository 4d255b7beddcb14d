"""A small UCI HAR project (shared data) for the search tests: the example's data and raw
windows, a single split by subject, one epoch per trial."""

from __future__ import annotations

from pathlib import Path

PROJECT = """
[project]
name = "har_search"
output_dir = "{out}"
[dataset]
path = "{data}/datasets/uci_har_test"
format = "uci_har"
[windowing]
window_ms = 2560
stride_ms = 2560
[split]
seed = 0
test_fraction = 0.3
val_fraction = 0.0
[dsp]
block = "raw"
[dsp.params]
normalize = true
[model]
architecture = "cnn1d"
width = 0.5
[training]
epochs = 5
learning_rate = 0.003
early_stopping_patience = 0
class_weights = false
[target]
board = "nucleo_l4r5zi"
compare = []
"""


def har_project(folder: Path, shared_data: Path, search: str) -> Path:
    """microforge.toml of the project with `search` appended (a [search] section)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "microforge.toml"
    text = PROJECT.format(out=(folder / "build").as_posix(), data=shared_data.as_posix())
    path.write_text(text + search, encoding="utf-8")
    return path


# cnn1d widths whose pipeline (normalisation + network) straddles a 30 ms budget on the Blue
# Pill's Cortex-M3 at 72 MHz: width 0.25 needs about 10 ms, width 4 far more than 30 ms
STRADDLING = """
[search]
latency_ms = 30
[[search.space]]
name = "model.width"
choices = [0.25, 4.0]
[[search.space]]
name = "model.depth"
kind = "int"
low = 1
high = 3
[[search.space]]
name = "training.learning_rate"
kind = "float"
low = 0.002
high = 0.01
log = true
"""

# every candidate over a 0.001 ms budget: the trials are costed, never trained (fast)
NEVER_FITS = """
[search]
latency_ms = 0.001
"""
