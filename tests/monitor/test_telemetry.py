"""The telemetry record: decodes with the schema, size limits, and the tag rejects tampered,
truncated, wrong-key and unknown-device records (real summaries: MLPerf KWS on its golden
inputs)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cbor2
import pytest

from microforge.monitor.spec import FORM_FULL, FORM_TINY, TINY_LIMIT
from microforge.monitor.summary import Summary
from microforge.monitor.telemetry import TelemetryError, encode_record, verify_record
from tests.monitor.kws import kws_summary

KEY = hashlib.sha256(b"device 12 key").digest()
KEYS = {12: KEY}.get


@pytest.fixture(scope="module")
def summary(shared_data: Path) -> Summary:
    return kws_summary(shared_data)


@pytest.mark.parametrize("form", [FORM_FULL, FORM_TINY])
def test_record_decodes_with_the_schema(summary: Summary, form: int) -> None:
    data = encode_record(summary, device_id=12, seq=2**31 + 5, key=KEY, form=form)
    record = verify_record(data, KEYS, summary.spec)
    assert (record.form, record.device_id, record.seq) == (form, 12, 2**31 + 5)
    assert record.model_id == summary.spec.model_id and record.windows == 5
    assert list(record.class_counts) == summary.class_counts
    assert list(record.conf_hist) == summary.conf_hist
    assert (record.sat_low, record.sat_high) == (summary.sat_low, summary.sat_high)
    if form == FORM_FULL:
        assert [list(h) for h in record.feature_hist or ()] == summary.feature_hist
        assert [v for pair in record.welford or () for v in pair] == summary.welford_values()
        assert record.margin_hist is not None and sum(record.margin_hist) == 5
        assert len(data) <= summary.spec.max_record_bytes(FORM_FULL)
    else:
        assert record.feature_hist is None and len(data) <= TINY_LIMIT
    items = cbor2.loads(data)
    assert isinstance(items[-1], bytes) and len(items[-1]) == (16 if form == FORM_FULL else 8)


def test_worst_case_sizes_hold(summary: Summary) -> None:
    spec = summary.spec
    worst = Summary(spec)
    worst.windows = spec.period_windows * 1000
    worst.class_counts = [65535] * spec.n_classes
    worst.conf_hist = [65535] * spec.conf_bins
    worst.sat_low = worst.sat_high = 2**32 - 1
    worst.latency_max = 2**32 - 1
    tiny = encode_record(worst, device_id=2**32 - 1, seq=2**32 - 1, key=KEY, form=FORM_TINY)
    # more windows than a period: beyond the bound, so the bound is a bound of periods only
    assert len(tiny) > spec.max_record_bytes(FORM_TINY)
    period = Summary(spec)
    period.windows = spec.period_windows
    period.class_counts[0] = period.conf_hist[-1] = spec.period_windows
    period.sat_low = period.sat_high = spec.period_windows * spec.n_inputs
    period.latency_max = 2**32 - 1
    for form in (FORM_TINY, FORM_FULL):
        data = encode_record(period, device_id=2**32 - 1, seq=2**32 - 1, key=KEY, form=form)
        assert len(data) <= spec.max_record_bytes(form)
    assert spec.max_record_bytes(FORM_TINY) <= TINY_LIMIT


@pytest.mark.parametrize("form", [FORM_FULL, FORM_TINY])
def test_every_single_byte_change_is_rejected(summary: Summary, form: int) -> None:
    data = encode_record(summary, device_id=12, seq=9, key=KEY, form=form)
    for i in range(len(data)):
        for flip in (0x01, 0x80):
            tampered = bytearray(data)
            tampered[i] ^= flip
            with pytest.raises(TelemetryError):
                verify_record(bytes(tampered), KEYS, summary.spec)


def test_truncated_extended_wrong_key_unknown_device(summary: Summary) -> None:
    data = encode_record(summary, device_id=12, seq=9, key=KEY)
    for n in range(len(data)):
        with pytest.raises(TelemetryError) as e:
            verify_record(data[:n], KEYS)
        assert e.value.reason in ("truncated", "malformed", "schema")
    with pytest.raises(TelemetryError, match="trailing") as e:
        verify_record(data + b"\x00", KEYS)
    with pytest.raises(TelemetryError) as e:
        verify_record(data, {12: hashlib.sha256(b"another key").digest()}.get)
    assert e.value.reason == "bad_tag"
    with pytest.raises(TelemetryError) as e:
        verify_record(data, {13: KEY}.get)
    assert e.value.reason == "unknown_device"
    # a record re-signed by another device's key, claiming device 12
    forged = encode_record(summary, device_id=12, seq=10, key=b"k" * 32)
    with pytest.raises(TelemetryError, match="does not verify"):
        verify_record(forged, KEYS)


def test_other_model_is_refused_with_the_spec(summary: Summary) -> None:
    import dataclasses

    data = encode_record(summary, device_id=12, seq=1, key=KEY)
    other = dataclasses.replace(summary.spec, model_id=summary.spec.model_id ^ 1)
    with pytest.raises(TelemetryError) as e:
        verify_record(data, KEYS, other)
    assert e.value.reason == "wrong_model"


def test_not_a_record(summary: Summary) -> None:
    for data, reason in ((b"", "truncated"), (cbor2.dumps({"a": 1}), "schema"),
                         (cbor2.dumps([3, 1]), "schema"), (b"\xff\xff", "malformed"),
                         (bytes(5000), "malformed"),
                         (cbor2.dumps([2, 1, 2, 3, 4, 5, [True], [1], [0, 0], 0, bytes(8)]),
                          "schema")):
        with pytest.raises(TelemetryError) as e:
            verify_record(data, KEYS)
        assert e.value.reason == reason


@pytest.mark.parametrize("bad", [True, -1, 2**32, 1.0, "1"])
def test_a_list_item_that_is_not_a_uint32_is_a_schema_error(summary: Summary, bad) -> None:
    items = cbor2.loads(encode_record(summary, device_id=12, seq=3, key=KEY))
    items[6][0] = bad  # a class count
    with pytest.raises(TelemetryError) as e:
        verify_record(cbor2.dumps(items), KEYS, summary.spec)
    assert e.value.reason == "schema"
