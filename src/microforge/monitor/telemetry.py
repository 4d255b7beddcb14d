"""The telemetry record: a CBOR array, its last item the keyed BLAKE2b tag of every byte
before the tag (docs/monitoring.md has the schema). `encode_record` writes exactly the bytes
mf_monitor_record writes; `verify_record` is what a server runs on every record it receives.

    data = encode_record(summary, device_id=7, seq=41, key=key, form=FORM_TINY)
    record = verify_record(data, keys={7: key}.get, spec)   # TelemetryError if not genuine
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

import cbor2

from microforge.errors import MicroforgeError
from microforge.monitor.spec import FORM_FULL, FORM_TINY, FULL_TAG, TINY_TAG, MonitorSpec
from microforge.monitor.summary import Summary

TAG_BYTES = {FORM_FULL: FULL_TAG, FORM_TINY: TINY_TAG}
ITEMS = {FORM_FULL: 14, FORM_TINY: 11}
MAX_RECORD = 4096  # bytes: anything longer is refused before decoding


class TelemetryError(MicroforgeError):
    """A record that is not a genuine, well-formed record of a known device.

    `reason`: "truncated", "malformed", "schema", "unknown_device", "bad_tag", "wrong_model".
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"telemetry record: {message}")
        self.reason = reason


@dataclass(frozen=True)
class Record:
    form: int
    device_id: int
    model_id: int
    model_version: int
    seq: int
    windows: int
    class_counts: tuple[int, ...]
    conf_hist: tuple[int, ...]
    sat_low: int
    sat_high: int
    latency_max: int
    margin_hist: tuple[int, ...] | None = None  # full form only, from here on
    latency_min: int | None = None
    latency_mean: int | None = None
    feature_hist: tuple[tuple[int, ...], ...] | None = None
    welford: tuple[tuple[int, int], ...] | None = None  # (mean Q8, variance Q4) per feature

    def feature_mean_var(self) -> list[tuple[float, float]]:
        """Welford mean and variance per feature, in int8 input units."""
        return [(m / 256.0, v / 16.0) for m, v in (self.welford or ())]


def blake2b_tag(key: bytes, message: bytes, size: int) -> bytes:
    """Keyed BLAKE2b (RFC 7693), what Monocypher's crypto_blake2b_keyed computes."""
    return hashlib.blake2b(message, digest_size=size, key=key).digest()


def record_items(summary: Summary, device_id: int, seq: int, form: int) -> list:
    """The record's items before the tag, in schema order."""
    s = summary.spec
    items: list = [form, device_id, s.model_id, s.model_version, seq, summary.windows,
                   list(summary.class_counts), list(summary.conf_hist)]
    if form == FORM_FULL:
        items += [list(summary.margin_hist), [summary.sat_low, summary.sat_high],
                  summary.latency(), [list(h) for h in summary.feature_hist],
                  summary.welford_values()]
    elif form == FORM_TINY:
        items += [[summary.sat_low, summary.sat_high], summary.latency_max]
    else:
        raise ValueError(f"unknown record form {form}")
    return items


def encode_record(summary: Summary, *, device_id: int, seq: int, key: bytes,
                  form: int = FORM_FULL) -> bytes:
    """The authenticated record of a period (the same bytes as mf_monitor_record)."""
    if not 1 <= len(key) <= 64:
        raise ValueError("the record key must be 1..64 bytes")
    if not (0 <= device_id < 2**32 and 0 <= seq < 2**32):
        raise ValueError("device id and sequence number are unsigned 32-bit integers")
    size = TAG_BYTES[form]
    placeholder = cbor2.dumps([*record_items(summary, device_id, seq, form), bytes(size)])
    body = placeholder[:-size]
    return body + blake2b_tag(key, body, size)


def verify_record(data: bytes, key_for: Callable[[int], bytes | None],
                  spec: MonitorSpec | None = None) -> Record:
    """Decode `data`, check its shape, its device (key_for(device_id) is its key or None) and
    its tag; with `spec`, also that it is a record of that model and shape."""
    if len(data) > MAX_RECORD:
        raise TelemetryError("malformed", f"{len(data)} B, more than {MAX_RECORD}")
    try:
        items = cbor2.loads(data)
    except (cbor2.CBORDecodeEOF, EOFError):
        raise TelemetryError("truncated", "ends before its last item") from None
    except (cbor2.CBORDecodeError, ValueError, TypeError) as e:
        raise TelemetryError("malformed", f"not CBOR ({e})") from None
    if not isinstance(items, list) or not items or items[0] not in ITEMS:
        raise TelemetryError("schema", "not an array starting with form 1 (full) or 2 (tiny)")
    form = items[0]
    size = TAG_BYTES[form]
    if len(items) != ITEMS[form] or not isinstance(items[-1], bytes) or len(items[-1]) != size:
        raise TelemetryError("truncated" if len(items) < ITEMS[form] else "schema",
                             f"form {form} has {ITEMS[form]} items ending in a {size}-byte tag")
    if cbor2.dumps(items) != data:
        raise TelemetryError("malformed", "not in the shortest CBOR form, or trailing bytes")
    record = _record(form, items)
    key = key_for(record.device_id)
    if key is None:
        raise TelemetryError("unknown_device", f"device {record.device_id} is not registered")
    expected = blake2b_tag(key, data[:-size], size)
    if not hmac.compare_digest(expected, data[-size:]):
        raise TelemetryError("bad_tag", f"the tag of device {record.device_id} does not verify")
    if spec is not None:
        check_shape(record, spec)
    return record


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _uints(value, what: str, n: int | None = None) -> tuple[int, ...]:
    # cbor2 decodes integers to exact ints (never bool or a subclass): a type test per item,
    # then one min/max, is the per-item check without a Python call per item
    if not isinstance(value, list) or (n is not None and len(value) != n) or \
            not all(type(v) is int for v in value) or \
            (value and not (min(value) >= 0 and max(value) < 2**32)):
        raise TelemetryError("schema", f"{what} must be a list of unsigned integers")
    return tuple(value)


def _uint(value, what: str) -> int:
    if not _is_int(value) or not 0 <= value < 2**32:
        raise TelemetryError("schema", f"{what} must be an unsigned 32-bit integer")
    return value


def _record(form: int, items: list) -> Record:
    names = ("device_id", "model_id", "model_version", "seq", "windows")
    device_id, model_id, version, seq, windows = (
        _uint(v, n) for n, v in zip(names, items[1:6], strict=True))
    classes, conf = _uints(items[6], "class_counts"), _uints(items[7], "conf_hist")
    if form == FORM_TINY:
        sat = _uints(items[8], "saturation", 2)
        return Record(form, device_id, model_id, version, seq, windows, class_counts=classes, conf_hist=conf, sat_low=sat[0],
                      sat_high=sat[1], latency_max=_uint(items[9], "latency_max"))
    margin, sat = _uints(items[8], "margin_hist"), _uints(items[9], "saturation", 2)
    latency = _uints(items[10], "latency", 3)
    if not isinstance(items[11], list):
        raise TelemetryError("schema", "feature_hist must be a list of histograms")
    features = tuple(_uints(h, "feature_hist") for h in items[11])
    flat = items[12]
    if not isinstance(flat, list) or len(flat) != 2 * len(features) or \
            not all(_is_int(v) and -2**31 <= v < 2**32 for v in flat):
        raise TelemetryError("schema", "welford must be [mean, variance] per feature")
    welford = tuple((flat[i], flat[i + 1]) for i in range(0, len(flat), 2))
    return Record(form, device_id, model_id, version, seq, windows, class_counts=classes, conf_hist=conf, sat_low=sat[0],
                  sat_high=sat[1], latency_max=latency[2], margin_hist=margin,
                  latency_min=latency[0], latency_mean=latency[1], feature_hist=features,
                  welford=welford)


def check_shape(record: Record, spec: MonitorSpec) -> None:
    """The record is of `spec`'s model and has its number of classes, bins and features."""
    if record.model_id != spec.model_id:
        raise TelemetryError("wrong_model", f"model id {record.model_id:#010x}, expected "
                             f"{spec.model_id:#010x}")
    shape_ok = len(record.class_counts) == spec.n_classes and \
        len(record.conf_hist) == spec.conf_bins
    if record.form == FORM_FULL:
        shape_ok = shape_ok and len(record.margin_hist or ()) == spec.margin_bins and \
            len(record.feature_hist or ()) == spec.n_features and \
            all(len(h) == spec.feature_bins for h in record.feature_hist or ())
    if not shape_ok:
        raise TelemetryError("schema", "classes, bins or features differ from the model's spec")
