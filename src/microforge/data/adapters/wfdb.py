"""PhysioNet WFDB records (`<name>.hea` + signal files + `<name>.atr`) with beat annotations.

Needs the optional `wfdb` package (`pip install 'microforge[wfdb]'`). Every record under the
dataset folder with an annotation file (extension `dataset.wfdb.annotation`, default `atr`)
is read in physical units (channels named as in the header); each annotation is a point
event cut as in the `events` format (window around the beat), labelled by its symbol
(`N`, `V`, `A`...) and mapped through `dataset.label_map` (e.g. "aami"). Group: the first
subfolder, else the record name (MIT-BIH: one record per patient).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.data.events import Annotation, CutStats, cut_events, to_dataset_rate
from microforge.data.readers.folders import Progress, report, require_folder, walk_files
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError, ToolchainError


def is_wfdb(root: Path) -> bool:
    return any(root.glob("*.hea")) or any(root.glob("*/*.hea"))


def import_wfdb():
    try:
        import wfdb
    except ImportError:
        raise ToolchainError(
            "WFDB records need the wfdb package: pip install 'microforge[wfdb]'"
        ) from None
    return wfdb


def read_wfdb(
    spec: DatasetSpec, progress: Progress | None = None
) -> tuple[list[Recording], list[str], list[str]]:
    """(a window around every annotated beat of every record, classes sorted, notes)."""
    wfdb = import_wfdb()
    root = Path(spec.path)
    require_folder(root)
    ext = spec.wfdb.annotation
    headers = [p for p in walk_files(root).files if p.suffix == ".hea"]
    if not headers:
        raise DataError(f"{root}: no WFDB records (.hea files); point dataset.path at "
                        "the folder of records")
    records = [h for h in headers if h.with_suffix(f".{ext}").is_file()]
    if not records:
        raise DataError(f"{root}: {len(headers)} WFDB record(s) but no .{ext} annotation files; "
                        "set dataset.wfdb.annotation to their extension")
    recordings: list[Recording] = []
    stats = CutStats()
    for i, header in enumerate(records):
        base = str(header.with_suffix(""))
        try:
            record = wfdb.rdrecord(base)
            ann = wfdb.rdann(base, ext)
        except Exception as exc:  # wfdb raises plain ValueError/OSError/IndexError on bad files
            raise DataError(f"{header}: not a readable WFDB record ({type(exc).__name__}: "
                            f"{exc}); check its .hea, signal and .{ext} files") from None
        signal = record.p_signal
        if signal is None:
            raise DataError(f"{header}: the record has no physical signal; save it with units")
        signal = np.asarray(signal, dtype=np.float32)
        if not np.isfinite(signal).all():  # gaps in WFDB signals read as NaN
            signal = np.nan_to_num(signal, nan=0.0, posinf=0.0, neginf=0.0)
            stats.notes.append(f"{header}: NaN samples (signal gaps) read as 0")
        n = len(signal)
        annotations = [Annotation(int(s), str(sym)) for s, sym in
                       zip(np.asarray(ann.sample).tolist(), ann.symbol, strict=True) if 0 <= s < n]
        rel = header.relative_to(root).parts
        group = rel[0] if len(rel) > 1 else header.stem
        names = tuple(str(name) for name in record.sig_name)
        signal, rate, annotations = to_dataset_rate(signal, float(record.fs), annotations, spec)
        cut, part = cut_events(signal, rate, annotations, spec.events,
                               source=base, group=group, channel_names=names)
        recordings += cut
        stats.add(part)
        report(progress, i + 1, len(records))
    if not recordings:
        raise DataError(f"{root}: no beat windows could be cut; shorten dataset.events.window_ms")
    return recordings, sorted({r.label for r in recordings}), stats.summary()
