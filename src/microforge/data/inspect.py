"""`inspect_dataset(spec)`: what is in a dataset folder, and what looks wrong, before training."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.data.harmonize import select_channels
from microforge.data.readers.folders import Progress, skipped_inputs, walk_files
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError

IMBALANCE_RATIO = 10.0
SHORT_FRACTION = 0.5  # "very short": under half the median duration


@dataclass
class ClassSummary:
    name: str
    recordings: int
    groups: int
    duration_s: float


@dataclass
class InspectReport:
    path: str
    format: str
    classes: list[ClassSummary]
    recordings: int
    groups: int
    sample_rates: list[float]  # distinct rates as found in the files
    channels: tuple[str, ...]
    total_duration_s: float
    min_duration_s: float
    max_duration_s: float
    problems: list[str] = field(default_factory=list)
    # class -> group -> recordings (events for event data): who holds which class
    class_groups: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def class_names(self) -> list[str]:
        return [c.name for c in self.classes]


def inspect_dataset(spec: DatasetSpec, progress: Progress | None = None) -> InspectReport:
    """Read the files (without resampling) and summarise them; fatal problems raise DataError."""
    from microforge.data.load import read_recordings

    fmt, recordings, classes, notes = read_recordings(spec, progress)
    root = Path(spec.path)
    problems: list[str] = list(notes)
    if root.is_dir():
        # dangling links, FIFOs, folders named like data files, unreadable files; then the
        # symlink loops the walk did not follow (its broken links are in the first list)
        problems += skipped_inputs(root)
        problems += [s for s in walk_files(root).skipped if "symlink loop" in s]
    rates = sorted({r.sample_rate for r in recordings})
    if len(rates) > 1:
        counts = Counter(r.sample_rate for r in recordings)
        problems.append(
            "mixed sample rates: " + ", ".join(f"{counts[r]} at {r:g} Hz" for r in rates)
            + ' (set dataset.on_rate_mismatch = "resample" or convert the files)'
        )
    try:
        recordings, channels = select_channels(recordings, spec.channels)
    except DataError as exc:
        problems.append(str(exc))
        channels = recordings[0].channel_names
    durations = np.array([r.duration_s for r in recordings])
    summaries = []
    for name in classes:
        members = [r for r in recordings if r.label == name]
        summaries.append(ClassSummary(
            name, len(members), len({r.group for r in members}),
            float(sum(r.duration_s for r in members)),
        ))
    present = [c for c in summaries if c.recordings]
    biggest = max(present, key=lambda c: c.duration_s)
    smallest = min(present, key=lambda c: c.duration_s)
    if smallest.duration_s * IMBALANCE_RATIO < biggest.duration_s:
        problems.append(
            f"class imbalance: {biggest.name} has {biggest.duration_s / smallest.duration_s:.0f}x "
            f"the data of {smallest.name} (collect more or use class weights)"
        )
    short = [r for r in recordings if r.duration_s < SHORT_FRACTION * np.median(durations)]
    if short:
        problems.append(
            f"{len(short)} very short recording(s) (under {SHORT_FRACTION:.0%} of the median "
            f"{np.median(durations):.2f} s), e.g. {short[0].source}"
        )
    for c in present:
        if c.groups < 2:
            problems.append(
                f"class {c.name} comes from a single group; it cannot be in both train and test"
            )
    class_groups: dict[str, dict[str, int]] = {c: {} for c in classes}
    for r in recordings:
        per_group = class_groups.setdefault(r.label, {})
        per_group[r.group] = per_group.get(r.group, 0) + 1
    return InspectReport(
        path=str(spec.path), format=fmt, classes=summaries, recordings=len(recordings),
        groups=len({r.group for r in recordings}), sample_rates=rates, channels=channels,
        total_duration_s=float(durations.sum()), min_duration_s=float(durations.min()),
        max_duration_s=float(durations.max()), problems=problems, class_groups=class_groups,
    )
