"""What `verify` / `profile` need from a trained project: its pipeline, real recordings (the test
recordings the run evaluated), and the flash/RAM of each library part inside a linked firmware.

    path = project_config_path("examples/uci_har")       # microforge.workspace.trained
    inputs = load_project_inputs(path)                    # trained pipeline + test recordings
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from rich.console import Console

from microforge.errors import DataError
from microforge.runners.firmware import FirmwareImage, library_sizes
from microforge.runners.sizes import PartSize
from microforge.workspace.data import ProjectData
from microforge.workspace.trained import TrainedPipeline, load_trained_project

PARTS = ("dsp", "network", "pipeline")  # pipeline = window buffer, quantize glue, post-processing


@dataclass
class ProjectInputs:
    """A trained project's pipeline and the recordings to stream through it."""

    config_path: Path
    trained: TrainedPipeline
    recordings: list[np.ndarray]  # (n, channels) float32 each, whole windows only
    source: str  # which recordings these are, for the report
    labels: list[int] = field(default_factory=list)  # each recording's class index
    held_out: bool = True  # False: the recordings are (also) training data
    project: ProjectData | None = None  # the loaded project the recordings come from

    @property
    def n_windows(self) -> int:
        return sum(self.windows_in(r) for r in self.recordings)

    def windows_in(self, recording: np.ndarray) -> int:
        win, stride = self.trained.window_len, int(self.trained.stride)
        return len(range(win, len(recording) + 1, stride))


def load_project_inputs(config_path: Path, max_windows: int | None = None, *,
                        project: ProjectData | None = None,
                        run_dir: Path | None = None) -> ProjectInputs:
    """The trained pipeline and its test recordings (the final split's test set; the validation
    or all recordings when the final fold has none), cut to at most `max_windows` windows."""
    trained = load_trained_project(config_path, run_dir,
                                   project.config if project is not None else None)
    if project is None:
        project = ProjectData.from_toml(config_path, Console(stderr=True, quiet=True))
    dataset, windows = project.load()
    fold = project.final_fold()
    chosen, source = None, ""
    for part in ("test", "val"):
        mask = fold.mask(part)
        if mask.any():
            chosen = np.unique(np.asarray(windows.recording)[mask])
            source = f"{part} recordings of the final split"
            break
    held_out = chosen is not None
    if chosen is None:
        chosen = np.arange(len(dataset.recordings))
        source = ("all recordings: TRAINING data (the final model has no held-out test or "
                  "validation split)")
    inputs = ProjectInputs(config_path, trained, [], source, held_out=held_out,
                           project=project)
    left = max_windows if max_windows is not None else None
    for index in chosen:
        signal = np.asarray(dataset.recordings[int(index)].signal, np.float32)
        # an image (height, width, channels) streams as height * width pixels of its channels
        signal = signal.reshape(-1, signal.shape[-1]) if signal.ndim == 3 else \
            signal.reshape(len(signal), -1)
        count = inputs.windows_in(signal)
        if count == 0:
            continue
        if left is not None:
            count = min(count, left)
            signal = signal[: trained.window_len + (count - 1) * trained.stride]
            left -= count
        inputs.recordings.append(np.ascontiguousarray(signal))
        label = dataset.recordings[int(index)].label
        inputs.labels.append(trained.labels.index(label) if label in trained.labels else -1)
        if left == 0:
            break
    if not inputs.recordings:
        raise DataError(f"{config_path}: no recording holds a whole window; check [windowing]")
    return inputs


class _PartsOf(Protocol):  # a PipelineLibrary or a FrameLibrary
    def part_of(self, filename: str) -> str: ...


_OBJECT_RE = re.compile(r"\d{3}_(.+)_[0-9a-f]{6}\.o$")  # verify.firmware._object_name


def firmware_part_sizes(work_dir: Path, image: FirmwareImage,
                        library: _PartsOf) -> dict[str, PartSize]:
    """Flash/RAM of the DSP, network and pipeline objects as linked into the firmware built in
    work_dir (the linker map: only what the linker kept, built for the board's core)."""
    map_file = Path(image.elf).with_suffix(".map")
    objects: dict[str, list[Path]] = {part: [] for part in PARTS}
    for obj in sorted((Path(work_dir) / "obj").glob("*.o")):
        match = _OBJECT_RE.match(obj.name)
        if match is not None:
            objects[library.part_of(f"{match.group(1)}.c")].append(obj)
    return {part: PartSize(*library_sizes(map_file, objs)) for part, objs in objects.items()}
