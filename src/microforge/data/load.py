"""`load_dataset(spec)`: read any supported format into one `Dataset`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from microforge.data.adapters.cwru import is_cwru, read_cwru
from microforge.data.adapters.speech_commands import is_speech_commands, read_speech_commands
from microforge.data.adapters.uci_har import is_uci_har, read_uci_har
from microforge.data.adapters.wfdb import is_wfdb, read_wfdb
from microforge.data.events import read_events_folder
from microforge.data.harmonize import common_rate, resample_all, select_channels
from microforge.data.image_sizes import common_frame_size, is_image_recording
from microforge.data.labels import apply_label_map
from microforge.data.readers.csv import read_csv_folder
from microforge.data.readers.edge_impulse import read_edge_impulse_folder
from microforge.data.readers.folders import Progress, require_folder, walk_files
from microforge.data.readers.image_boxes import is_image_boxes, read_image_boxes
from microforge.data.readers.images import GROUPS_FILE, IMAGE_SUFFIXES, read_image_folder
from microforge.data.readers.mat import read_mat_folder
from microforge.data.readers.npy import read_npy_folder
from microforge.data.readers.wav import read_wav_folder
from microforge.data.recording import Dataset, Recording
from microforge.data.spec import DatasetSpec, EventOptions
from microforge.errors import DataError
from microforge.registry import Registry

ANNOTATION_SUFFIX = EventOptions().annotation_suffix



class DatasetFormat(NamedTuple):
    """How `[dataset] format = "<name>"` is read: a folder-per-label reader (spec ->
    recordings; classes: the labels sorted) or an adapter (spec -> (recordings, class order)
    or (recordings, class order, notes))."""

    read: Callable[..., Any]
    adapter: bool


AUTO = "auto"  # [dataset] format = "auto": detect_format decides
DATASET_FORMATS: Registry[DatasetFormat] = Registry(
    "dataset format", field="dataset.format", unknown_label="format", choices="one of ")
_READERS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("csv", read_csv_folder), ("wav", read_wav_folder), ("npy", read_npy_folder),
    ("mat", read_mat_folder), ("edge_impulse", read_edge_impulse_folder),
    ("images", read_image_folder))
_ADAPTERS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("events", read_events_folder), ("uci_har", read_uci_har),
    ("speech_commands", read_speech_commands), ("cwru", read_cwru), ("wfdb", read_wfdb),
    ("image_boxes", read_image_boxes))
for _name, _read in _READERS:
    DATASET_FORMATS.register(_name, DatasetFormat(_read, adapter=False))
for _name, _read in _ADAPTERS:
    DATASET_FORMATS.register(_name, DatasetFormat(_read, adapter=True))


def format_names() -> list[str]:
    """Every value `[dataset] format` accepts."""
    return [AUTO, *DATASET_FORMATS.names()]


def check_format(name: str) -> str:
    """`name` when it is a known format (or auto), else ValueError (config validation)."""
    return name if name == AUTO else DATASET_FORMATS.check(name)


class RawRecordings(NamedTuple):
    format: str  # the resolved format
    recordings: list[Recording]  # as in the files (labels mapped), before harmonizing
    classes: list[str]  # class order
    notes: list[str]  # what was dropped or changed on the way (label map, events)


def load_dataset(spec: DatasetSpec, progress: Progress | None = None) -> Dataset:
    """Read, check and harmonize the dataset; every problem is a one-line DataError."""
    raw = read_recordings(spec, progress)
    if all(is_image_recording(r) for r in raw.recordings):
        images, notes = common_frame_size(raw.recordings)
        return Dataset(images, raw.classes, 1.0, images[0].channel_names,
                       Path(spec.path).name or raw.format, notes=raw.notes + notes)
    rate = common_rate(raw.recordings, spec.sample_rate, spec.on_rate_mismatch)
    recordings = resample_all(raw.recordings, rate)
    recordings, channels = select_channels(recordings, spec.channels)
    return Dataset(recordings, raw.classes, rate, channels, Path(spec.path).name or raw.format,
                   notes=raw.notes)


def read_recordings(spec: DatasetSpec, progress: Progress | None = None) -> RawRecordings:
    """The recordings as in the files, labels mapped (dataset.label_map), before harmonizing."""
    fmt = detect_format(Path(spec.path)) if spec.format == AUTO else spec.format
    notes: list[str] = []
    reader = DATASET_FORMATS.find(fmt)
    if reader is None:
        raise DataError(DATASET_FORMATS.unknown(fmt))
    if reader.adapter:
        result: tuple[Any, ...] = reader.read(spec, progress)
        recordings, classes = list(result[0]), list(result[1])
        notes = list(result[2]) if len(result) > 2 else []
    else:
        recordings = reader.read(spec, progress)
        classes = sorted({r.label for r in recordings})
    if not recordings:
        raise DataError(f"{spec.path}: no recordings found; check dataset.path and format")
    keep = (spec.events.background_label,) if spec.events.background_label else ()
    recordings, classes, mapped = apply_label_map(recordings, classes, spec.label_map, keep)
    return RawRecordings(fmt, recordings, classes, notes + mapped)


def detect_format(root: Path) -> str:
    """The format of a folder: a public layout by its marker files, else the file types."""
    require_folder(root)
    if is_uci_har(root):
        return "uci_har"
    if is_cwru(root):
        return "cwru"
    if is_speech_commands(root):
        return "speech_commands"
    if is_wfdb(root):
        return "wfdb"
    files = walk_files(root).files
    if any(p.name.endswith(ANNOTATION_SUFFIX) for p in files):
        return "events"
    if is_image_boxes(root):
        return "image_boxes"
    suffixes = Counter(p.suffix.lower() for p in files)
    data_files = [p for p in files if p.suffix.lower() in (".wav", ".csv", ".npy", ".mat")
                  and p.name != GROUPS_FILE]
    if any(suffixes[s] for s in IMAGE_SUFFIXES) and not data_files:
        return "images"
    known = [s for s in (".wav", ".csv", ".npy", ".mat") if suffixes[s]]
    if not known and (suffixes[".json"] or suffixes[".cbor"]):
        return "edge_impulse"
    if len(known) == 1:
        return known[0][1:]
    if not known:
        raise DataError(
            f"{root}: no .csv, .wav, .npy, .mat or Edge Impulse .json/.cbor files (nor images); point "
            "dataset.path at the data"
        )
    raise DataError(
        f"{root}: mixed file types ({', '.join(known)}); set dataset.format to "
        "pick one"
    )
