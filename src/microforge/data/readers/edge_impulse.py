"""Edge Impulse data-acquisition files (JSON or CBOR): read and write.

    {"protected": {"ver": "v1", "alg": "none", "iat": 1700000000},
     "signature": "00...00",                      (64 hex digits)
     "payload": {"device_name": "...", "device_type": "...", "interval_ms": 10,
                 "sensors": [{"name": "accX", "units": "m/s2"}, ...],
                 "values": [[0.1, 0.2, 9.8], ...]}}   (one axis: a flat list)

Files sit in class folders (`<label>/<file>.json`, group as for CSV), or loose in the dataset
folder named `<label>.<anything>.json|.cbor` as Edge Impulse exports them (group: the name).
Signatures are not checked when reading; files are written unsigned (`alg: none`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from microforge.data.readers.folders import Progress, report, require_folder, walk_files
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError

SUFFIXES = (".json", ".cbor")
_UNSIGNED = "0" * 64


def read_edge_impulse_folder(
    spec: DatasetSpec, progress: Progress | None = None
) -> list[Recording]:
    """Every Edge Impulse sample under the dataset folder as one recording."""
    root = Path(spec.path)
    require_folder(root)
    files = []
    for path in walk_files(root).files:
        if path.suffix.lower() not in SUFFIXES:
            continue
        rel = path.relative_to(root).parts
        if len(rel) == 1:  # loose: <label>.<id>.json
            label, _, rest = path.name.partition(".")
            if not rest or not label:
                raise DataError(f"{path}: a loose Edge Impulse file must be named "
                                "<label>.<id>.json; rename it or put it in a class folder")
            files.append((path, label, path.stem))
        else:
            group = rel[1] if len(rel) > 2 else path.stem
            files.append((path, rel[0], group))
    if not files:
        raise DataError(f"{root}: no Edge Impulse .json or .cbor files; point dataset.path "
                        "at them or set dataset.format")
    recordings = []
    for i, (path, label, group) in enumerate(files):
        signal, rate, names = read_edge_impulse(path)
        recordings.append(Recording(signal, rate, label, group, str(path), names))
        report(progress, i + 1, len(files))
    return recordings


def read_edge_impulse(path: str | Path) -> tuple[np.ndarray, float, tuple[str, ...]]:
    """(float32 (n, axes), sample rate, sensor names) of one file; DataError if malformed."""
    path = Path(path)
    document = _decode(path)
    payload = document.get("payload") if isinstance(document, dict) else None
    if not isinstance(payload, dict):
        raise DataError(f"{path}: no `payload` object; not an Edge Impulse data-acquisition file")
    for key in ("interval_ms", "sensors", "values"):
        if key not in payload:
            raise DataError(f"{path}: payload.{key} is missing; not an Edge Impulse sample")
    interval = payload["interval_ms"]
    if isinstance(interval, bool) or not isinstance(interval, int | float) or not interval > 0:
        raise DataError(f"{path}: payload.interval_ms {interval!r} must be a number > 0")
    sensors = payload["sensors"]
    if not isinstance(sensors, list) or not sensors or not all(
        isinstance(s, dict) and isinstance(s.get("name"), str) for s in sensors
    ):
        raise DataError(f"{path}: payload.sensors must be a list of {{name, units}} objects")
    names = tuple(s["name"] for s in sensors)
    try:
        values = np.asarray(payload["values"], dtype=np.float64)
    except (ValueError, TypeError):
        raise DataError(f"{path}: payload.values must be numbers, one row of "
                        f"{len(names)} per sample (ragged or non-numeric rows found)") from None
    if values.ndim == 1 and len(names) == 1:
        values = values[:, None]
    if values.ndim != 2 or values.shape[1] != len(names) or values.shape[0] == 0:
        raise DataError(f"{path}: payload.values has shape {values.shape}, expected "
                        f"(samples, {len(names)}) for sensors {', '.join(names)}")
    if not np.isfinite(values).all():
        raise DataError(f"{path}: payload.values holds NaN or infinite values")
    rate = float(f"{1000.0 / float(interval):.6g}")
    return values.astype(np.float32), rate, names


def edge_impulse_document(
    signal: np.ndarray,
    sample_rate: float,
    sensors: list[str] | tuple[str, ...],
    units: list[str] | tuple[str, ...] | None = None,
    device_type: str = "microforge",
    device_name: str | None = None,
    iat: int | None = None,
) -> dict[str, Any]:
    """The data-acquisition document of a (n, axes) signal (unsigned)."""
    signal = np.asarray(signal, dtype=np.float64)
    if signal.ndim == 1:
        signal = signal[:, None]
    if signal.shape[1] != len(sensors):
        raise ValueError(f"{signal.shape[1]} axes but {len(sensors)} sensor names")
    units = list(units) if units is not None else ["N/A"] * len(sensors)
    payload: dict[str, Any] = {"device_type": device_type,
                               "interval_ms": 1000.0 / float(sample_rate),
                               "sensors": [{"name": n, "units": u}
                                           for n, u in zip(sensors, units, strict=True)],
                               "values": signal.tolist()}
    if device_name is not None:
        payload = {"device_name": device_name, **payload}
    return {"protected": {"ver": "v1", "alg": "none",
                          "iat": int(time.time()) if iat is None else int(iat)},
            "signature": _UNSIGNED, "payload": payload}


def encode_edge_impulse(document: dict[str, Any], encoding: str) -> bytes:
    if encoding == "json":
        return (json.dumps(document) + "\n").encode("utf-8")
    if encoding == "cbor":
        import cbor2

        return cbor2.dumps(document)
    raise ValueError(f"encoding {encoding!r}: json or cbor")


def write_edge_impulse(path: str | Path, signal: np.ndarray, sample_rate: float,
                       sensors: list[str] | tuple[str, ...], **kwargs: Any) -> Path:
    """Write one sample atomically; JSON or CBOR by the file's suffix."""
    from microforge.atomic import atomic_write_bytes

    path = Path(path)
    encoding = path.suffix.lower().lstrip(".")
    data = encode_edge_impulse(edge_impulse_document(signal, sample_rate, sensors, **kwargs),
                               encoding)
    atomic_write_bytes(path, data)
    return path


def _decode(path: Path) -> Any:
    raw = path.read_bytes()
    if path.suffix.lower() == ".json":
        try:
            return json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"{path}: not valid JSON ({exc}); export it again") from None
    import cbor2

    try:
        return cbor2.loads(raw)
    except (cbor2.CBORDecodeError, ValueError, EOFError) as exc:
        raise DataError(f"{path}: not valid CBOR ({exc}); export it again") from None
