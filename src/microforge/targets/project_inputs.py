"""What `verify` / `profile` need from a trained project: its pipeline, real recordings (the test
recordings the run evaluated), and the flash/RAM of each library part inside a linked firmware.

    path = project_config_path("examples/uci_har")       # None for a .tflite
    inputs = load_project_inputs(path)                    # trained pipeline + test recordings
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from microforge.errors import ConfigError, DataError

PARTS = ("dsp", "network", "pipeline")  # pipeline = window buffer, quantize glue, post-processing


def project_config_path(path: str | Path) -> Path | None:
    """The microforge.toml a path names (the file, or a folder holding one); None otherwise."""
    path = Path(path)
    if path.suffix == ".toml":
        return path
    if path.is_dir():
        toml = path / "microforge.toml"
        if not toml.is_file():
            raise ConfigError(f"{path}: a folder without microforge.toml; pass a project folder, "
                              "its microforge.toml or a .tflite")
        return toml
    if not path.exists() and not path.suffix:
        raise ConfigError(f"{path}: no such project folder; pass a project folder, its "
                          "microforge.toml or a .tflite")
    return None


@dataclass
class ProjectInputs:
    """A trained project's pipeline and the recordings to stream through it."""

    config_path: Path
    trained: Any  # microforge.compile_project.TrainedPipeline
    recordings: list[np.ndarray]  # (n, channels) float32 each, whole windows only
    source: str  # which recordings these are, for the report

    @property
    def n_windows(self) -> int:
        return sum(self.windows_in(r) for r in self.recordings)

    def windows_in(self, recording: np.ndarray) -> int:
        win, stride = int(self.trained.block.win_len), int(self.trained.stride)
        return len(range(win, len(recording) + 1, stride))


def load_trained_project(config_path: Path, run_dir: Path | None = None, config=None):
    """load_trained (of `config`, a loaded ProjectConfig, when given), with the untrained case
    as one line naming the command to run."""
    from microforge.compile_project import load_trained

    if config is None and not config_path.is_file():
        raise ConfigError(f"{config_path}: no such project file; pass a microforge.toml, its "
                          "folder or a .tflite")
    try:
        return load_trained(config if config is not None else config_path, run_dir)
    except ConfigError as exc:
        if ": not found;" not in str(exc):
            raise
        missing = str(exc).split(": not found;", 1)[0]
        raise ConfigError(f"{missing}: the project is not trained; run `microforge run "
                          f"{config_path}` first") from None


def load_project_inputs(config_path: Path, max_windows: int | None = None, *, project=None,
                        run_dir: Path | None = None) -> ProjectInputs:
    """The trained pipeline and its test recordings (the final split's test set; the validation
    or all recordings when the final fold has none), cut to at most `max_windows` windows."""
    from rich.console import Console

    from microforge.project import Project

    trained = load_trained_project(config_path, run_dir,
                                   project.config if project is not None else None)
    if project is None:
        project = Project.from_toml(config_path, Console(stderr=True, quiet=True))
    dataset, windows = project.load()
    fold = project.final_fold()
    chosen, source = None, ""
    for part in ("test", "val"):
        mask = fold.mask(part)
        if mask.any():
            chosen = np.unique(np.asarray(windows.recording)[mask])
            source = f"{part} recordings of the final split"
            break
    if chosen is None:
        chosen, source = np.arange(len(dataset.recordings)), "all recordings (no test split)"
    inputs = ProjectInputs(config_path, trained, [], source)
    left = max_windows if max_windows is not None else None
    for index in chosen:
        signal = np.asarray(dataset.recordings[int(index)].signal, np.float32)
        signal = signal.reshape(len(signal), -1)
        count = inputs.windows_in(signal)
        if count == 0:
            continue
        if left is not None:
            count = min(count, left)
            signal = signal[: trained.block.win_len + (count - 1) * trained.stride]
            left -= count
        inputs.recordings.append(np.ascontiguousarray(signal))
        if left == 0:
            break
    if not inputs.recordings:
        raise DataError(f"{config_path}: no recording holds a whole window; check [windowing]")
    return inputs


@dataclass(frozen=True)
class PartSize:
    flash_bytes: int
    ram_bytes: int


_OBJECT_RE = re.compile(r"\d{3}_(.+)_[0-9a-f]{6}\.o$")  # verify.firmware._object_name


def firmware_part_sizes(work_dir: Path, image, library) -> dict[str, PartSize]:
    """Flash/RAM of the DSP, network and pipeline objects as linked into the firmware built in
    work_dir (the linker map: only what the linker kept, built for the board's core)."""
    from microforge.verify.firmware import library_sizes

    map_file = Path(image.elf).with_suffix(".map")
    objects: dict[str, list[Path]] = {part: [] for part in PARTS}
    for obj in sorted((Path(work_dir) / "obj").glob("*.o")):
        match = _OBJECT_RE.match(obj.name)
        if match is not None:
            objects[library.part_of(f"{match.group(1)}.c")].append(obj)
    return {part: PartSize(*library_sizes(map_file, objs)) for part, objs in objects.items()}
