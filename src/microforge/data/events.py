"""Event data: long recordings with annotations -> labelled segments, one per event.

A point event (a heartbeat, a keyword onset, a machine knock) becomes one window-long
recording with the event `event_offset_ms` after its start (centred by default); an interval
(`end` given) becomes a segment that the windowing cuts with its stride; with a
`background_label`, the gaps between them become recordings of that class. Events whose
window does not fit inside the recording are dropped and counted.

The `events` format: every signal file (.csv, .wav, .npy, .mat) under the dataset folder has
a sidecar annotation CSV, `rec01.csv` + `rec01.annotations.csv`:

    time_s,label,end          or      sample,label
    0.512,N,                          1843,N
    1.250,walk,4.000                  2101,V

Group: the first subfolder (`<root>/<subject>/rec01.csv`), else the recording's name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.data.readers.folders import Progress, report, require_folder, walk_files
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec, EventOptions
from microforge.errors import DataError

SIGNAL_SUFFIXES = (".csv", ".wav", ".npy", ".mat")


@dataclass(frozen=True)
class Annotation:
    """One annotation in samples of its recording: a point event (end None) or an interval."""

    sample: int
    label: str
    end: int | None = None
    line: int = 0  # line of the annotation file (0: not from a file)


@dataclass
class CutStats:
    events: int = 0
    intervals: int = 0
    background: int = 0
    near_edge: int = 0  # point events whose window does not fit in the recording
    notes: list[str] = field(default_factory=list)

    def add(self, other: CutStats) -> None:
        self.events += other.events
        self.intervals += other.intervals
        self.background += other.background
        self.near_edge += other.near_edge

    def summary(self) -> list[str]:
        notes = []
        if self.near_edge:
            notes.append(
                f"events: dropped {self.near_edge} event(s) whose window does not fit inside "
                "the recording (too close to its start or end)"
            )
        return notes + self.notes


def read_annotations(path: Path, sample_rate: float, n_samples: int) -> list[Annotation]:
    """The annotations of one recording; DataError naming the file and line for bad rows."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a UTF-8 text file; save the annotations as CSV") from None
    rows = [(n + 1, [c.strip() for c in row])
            for n, row in enumerate(csv.reader(io.StringIO(text), _dialect(text)))
            if any(c.strip() for c in row)]
    if not rows:
        raise DataError(f"{path}: empty annotation file; add a header `time_s,label` and rows")
    header = [c.lower() for c in rows[0][1]]
    if "label" not in header or not ({"time_s", "sample"} & set(header)):
        raise DataError(
            f"{path}: line {rows[0][0]}: header {','.join(rows[0][1])!r} needs a `label` column "
            "and a `time_s` or `sample` column (optional `end`, same unit)"
        )
    if {"time_s", "sample"} <= set(header):
        raise DataError(f"{path}: both `time_s` and `sample` columns; keep one of them")
    unit = "time_s" if "time_s" in header else "sample"
    at, lab = header.index(unit), header.index("label")
    end_col = header.index("end") if "end" in header else None
    out = []
    for n, cells in rows[1:]:
        if len(cells) <= max(at, lab):
            raise DataError(f"{path}: line {n}: {len(cells)} values, expected {len(header)}")
        start = _position(path, n, cells[at], unit, sample_rate)
        label = cells[lab]
        if not label:
            raise DataError(f"{path}: line {n}: empty label; every annotation needs one")
        end = None
        if end_col is not None and end_col < len(cells) and cells[end_col]:
            end = _position(path, n, cells[end_col], unit, sample_rate)
            if end <= start:
                raise DataError(f"{path}: line {n}: end {cells[end_col]} is not after the start "
                                f"{cells[at]}; fix the interval")
            if end > n_samples:
                raise DataError(f"{path}: line {n}: end {cells[end_col]} is past the recording's "
                                f"end ({n_samples} samples, {n_samples / sample_rate:g} s)")
        if not 0 <= start < n_samples:
            raise DataError(f"{path}: line {n}: {unit} {cells[at]} is outside the recording "
                            f"({n_samples} samples, {n_samples / sample_rate:g} s)")
        out.append(Annotation(start, label, end, n))
    return out


def window_length(options: EventOptions, sample_rate: float) -> tuple[int, int]:
    """(window length, event offset in it) in samples."""
    if options.window_ms is None or options.window_ms <= 0:
        raise DataError("dataset.events.window_ms: set the event window (> 0 ms), or "
                        "windowing.window_ms in microforge.toml")
    length = max(1, int(round(options.window_ms * sample_rate / 1000.0)))
    if options.event_offset_ms is None:
        offset = length // 2
    else:
        offset = int(round(options.event_offset_ms * sample_rate / 1000.0))
        if not 0 <= offset < length:
            raise DataError(
                f"dataset.events.event_offset_ms: {options.event_offset_ms:g} ms is outside the "
                f"{options.window_ms:g} ms window; use 0 to {options.window_ms:g}"
            )
    return length, offset


def cut_events(
    signal: np.ndarray,
    sample_rate: float,
    annotations: list[Annotation],
    options: EventOptions,
    *,
    source: str,
    group: str,
    channel_names: tuple[str, ...],
) -> tuple[list[Recording], CutStats]:
    """The labelled segments of one long recording (see the module docstring)."""
    length, offset = window_length(options, sample_rate)
    n = len(signal)
    stats = CutStats()
    covered = np.zeros(n, dtype=bool)
    out: list[Recording] = []

    def segment(a: int, b: int, label: str, tag: str) -> Recording:
        return Recording(np.ascontiguousarray(signal[a:b], dtype=np.float32), float(sample_rate),
                         label, group, f"{source}{tag}[{a}:{b}]", channel_names)

    for ann in sorted(annotations, key=lambda a: a.sample):
        if ann.end is not None:
            out.append(segment(ann.sample, ann.end, ann.label, ""))
            covered[ann.sample:ann.end] = True
            stats.intervals += 1
            continue
        start = ann.sample - offset
        covered[max(0, start):max(0, start + length)] = True
        if start < 0 or start + length > n:
            stats.near_edge += 1
            continue
        out.append(segment(start, start + length, ann.label, f"@{ann.sample}"))
        stats.events += 1
    if options.background_label is not None:
        for a, b in _runs(~covered):
            if b - a >= length:
                out.append(segment(a, b, options.background_label, ""))
                stats.background += 1
    return out, stats


def read_events_folder(
    spec: DatasetSpec, progress: Progress | None = None
) -> tuple[list[Recording], list[str], list[str]]:
    """(segments of every annotated recording, classes sorted, notes)."""
    root = Path(spec.path)
    require_folder(root)
    suffix = spec.events.annotation_suffix
    files = walk_files(root).files
    sidecars = {p for p in files if p.name.endswith(suffix)}
    signals = [p for p in files if p not in sidecars and p.suffix.lower() in SIGNAL_SUFFIXES]
    if not signals:
        raise DataError(f"{root}: no .csv, .wav, .npy or .mat recordings; point dataset.path "
                        "at the folder of recordings and their annotation files")
    pairs = []
    for path in signals:
        sidecar = path.with_name(path.stem + suffix)
        if sidecar not in sidecars:
            raise DataError(f"{path}: no annotation file {sidecar.name} beside it; add one "
                            "(time_s|sample,label[,end]) or move the recording out")
        pairs.append((path, sidecar))
    orphans = sidecars - {s for _, s in pairs}
    if orphans:
        orphan = sorted(orphans)[0]
        raise DataError(f"{orphan}: annotation file without a recording "
                        f"{orphan.name[: -len(suffix)]}.csv/.wav/.npy/.mat; add it or remove "
                        "the annotation file")
    recordings: list[Recording] = []
    stats = CutStats()
    for i, (path, sidecar) in enumerate(pairs):
        signal, rate, names = read_signal(path, spec)
        annotations = read_annotations(sidecar, rate, len(signal))
        signal, rate, annotations = to_dataset_rate(signal, rate, annotations, spec)
        rel = path.relative_to(root).parts
        group = rel[0] if len(rel) > 1 else path.stem
        cut, part = cut_events(signal, rate, annotations, spec.events, source=str(path),
                               group=group, channel_names=names)
        recordings += cut
        stats.add(part)
        report(progress, i + 1, len(pairs))
    if not recordings:
        raise DataError(f"{root}: no events could be cut (every event window is outside its "
                        "recording); shorten dataset.events.window_ms")
    return recordings, sorted({r.label for r in recordings}), stats.summary()


def to_dataset_rate(
    signal: np.ndarray, rate: float, annotations: list[Annotation], spec: DatasetSpec
) -> tuple[np.ndarray, float, list[Annotation]]:
    """With `dataset.sample_rate` set and `on_rate_mismatch = "resample"`, the whole recording
    resampled to it (before cutting, so every event window has the same length) and its
    annotations moved with it; otherwise as it is (a mismatch is refused later)."""
    target = spec.sample_rate
    if target is None or spec.on_rate_mismatch != "resample" or abs(rate - target) <= 1e-6 * rate:
        return signal, rate, annotations
    from fractions import Fraction

    from scipy.signal import resample_poly

    ratio = Fraction(target / rate).limit_denominator(1000)
    out = resample_poly(signal.astype(np.float64), ratio.numerator, ratio.denominator, axis=0)
    scale = len(out) / len(signal)

    def move(sample: int) -> int:
        return min(len(out) - 1, int(round(sample * scale)))

    moved = [Annotation(move(a.sample), a.label,
                        None if a.end is None else max(move(a.sample) + 1,
                                                       min(len(out), int(round(a.end * scale)))),
                        a.line) for a in annotations]
    return out.astype(np.float32), float(target), moved


def read_signal(path: Path, spec: DatasetSpec) -> tuple[np.ndarray, float, tuple[str, ...]]:
    """(float32 (n, channels), rate, channel names) of one signal file, by its extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from microforge.data.readers.csv import read_csv_recording

        r = read_csv_recording(path, "", spec)
        return r.signal, r.sample_rate, r.channel_names
    if suffix == ".wav":
        from microforge.data.readers.wav import read_wav, wav_recording

        signal, rate = read_wav(path)
        r = wav_recording(path, "", signal, rate, "")
        return r.signal, r.sample_rate, r.channel_names
    if suffix == ".npy":
        from microforge.data.readers.npy import load_npy

        if spec.sample_rate is None:
            raise DataError(f"{path}: .npy files carry no sample rate; set dataset.sample_rate")
        signal = load_npy(path)
        return signal, float(spec.sample_rate), tuple(f"ch{c}" for c in range(signal.shape[1]))
    if suffix == ".mat":
        from microforge.data.readers.mat import mat_recording

        r = mat_recording(path, "", spec, "")
        return r.signal, r.sample_rate, r.channel_names
    raise DataError(f"{path}: not a .csv, .wav, .npy or .mat recording")


def write_annotations(path: str | Path, annotations: list[tuple[float, str, float | None]],
                      unit: str = "time_s") -> None:
    """Write `unit,label,end` rows atomically (end None: a point event)."""
    from microforge.atomic import atomic_write_text

    if unit not in ("time_s", "sample"):
        raise ValueError(f"unit {unit!r}: time_s or sample")
    lines = [f"{unit},label,end"]
    for at, label, end in annotations:
        fmt = (lambda v: f"{v:.6f}") if unit == "time_s" else (lambda v: str(int(v)))
        lines.append(f"{fmt(at)},{label},{'' if end is None else fmt(end)}")
    atomic_write_text(path, "\n".join(lines) + "\n")


def _position(path: Path, line: int, text: str, unit: str, rate: float) -> int:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{path}: line {line}: {unit} {text!r} is not a number") from None
    if not np.isfinite(value):
        raise DataError(f"{path}: line {line}: {unit} {text!r} is not a finite number")
    if unit == "sample":
        if value != int(value):
            raise DataError(f"{path}: line {line}: sample {text!r} is not a whole number")
        return int(value)
    return int(round(value * rate))


def _dialect(text: str) -> type[csv.Dialect]:
    first = text.splitlines()[0] if text else ""
    return csv.excel_tab if "\t" in first and "," not in first else csv.excel


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of every run of True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))
