"""Edge Impulse data-acquisition files: written, read back, JSON and CBOR, and bad files."""

from __future__ import annotations

import json

import cbor2
import numpy as np
import pytest

from microforge.data import DatasetSpec, load_dataset
from microforge.data.load import detect_format
from microforge.data.readers.edge_impulse import (
    edge_impulse_document,
    read_edge_impulse,
    write_edge_impulse,
)
from microforge.errors import DataError


@pytest.mark.parametrize("suffix", [".json", ".cbor"])
def test_round_trip(tmp_path, suffix):
    signal = np.random.default_rng(0).normal(size=(250, 3)).astype(np.float32)
    path = write_edge_impulse(tmp_path / f"idle.s1{suffix}", signal, 62.5, ["accX", "accY", "accZ"],
                              units=["m/s2"] * 3, device_name="dev1")
    raw = path.read_bytes()
    document = json.loads(raw) if suffix == ".json" else cbor2.loads(raw)
    assert document["protected"]["ver"] == "v1" and document["protected"]["alg"] == "none"
    assert len(document["signature"]) == 64
    payload = document["payload"]
    assert payload["interval_ms"] == 16.0 and payload["device_type"] == "microforge"
    assert payload["sensors"][0] == {"name": "accX", "units": "m/s2"}
    back, rate, names = read_edge_impulse(path)
    assert rate == 62.5 and names == ("accX", "accY", "accZ")
    np.testing.assert_array_equal(back, signal)


def test_single_axis_flat_values_and_a_dataset_of_loose_and_foldered_files(tmp_path):
    doc = edge_impulse_document(np.arange(100.0), 100.0, ["audio"])
    doc["payload"]["values"] = list(range(100))  # Edge Impulse writes one axis flat
    (tmp_path / "yes.abc123.json").write_text(json.dumps(doc))
    (tmp_path / "no.def456.cbor").write_bytes(cbor2.dumps(doc))
    (tmp_path / "no" / "alice").mkdir(parents=True)
    (tmp_path / "no" / "alice" / "take.json").write_text(json.dumps(doc))
    assert detect_format(tmp_path) == "edge_impulse"
    dataset = load_dataset(DatasetSpec(tmp_path))
    found = sorted((r.label, r.group) for r in dataset.recordings)
    assert found == [("no", "alice"), ("no", "no.def456"), ("yes", "yes.abc123")]
    assert dataset.sample_rate == 100.0 and dataset.channel_names == ("audio",)
    assert dataset.recordings[0].signal[:, 0].tolist() == list(range(100))


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.pop("payload"), "no `payload` object"),
    (lambda d: d["payload"].pop("interval_ms"), "payload.interval_ms is missing"),
    (lambda d: d["payload"].update(interval_ms=0), "payload.interval_ms 0 must be a number > 0"),
    (lambda d: d["payload"].update(values=[[1, 2], [3]]), "ragged or non-numeric"),
    (lambda d: d["payload"].update(values=[[1, 2]]), r"shape \(1, 2\), expected \(samples, 1\)"),
    (lambda d: d["payload"].update(sensors="x"), "payload.sensors must be a list"),
])
def test_bad_files_are_one_line_errors(tmp_path, mutate, message):
    doc = edge_impulse_document(np.zeros(10), 10.0, ["x"])
    mutate(doc)
    path = tmp_path / "a.1.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=message) as exc:
        read_edge_impulse(path)
    assert str(path) in str(exc.value)
    (tmp_path / "b.1.cbor").write_bytes(b"\xff\x00garbage")
    with pytest.raises(DataError, match="not valid CBOR"):
        read_edge_impulse(tmp_path / "b.1.cbor")
