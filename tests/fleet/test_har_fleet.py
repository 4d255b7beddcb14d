"""A fleet on real UCI HAR data through the server (slow: trains the small HAR model once per
session, tests/monitor/har.py): devices of the validation subjects and devices of 2 held-out
subjects send genuine records (their int8 windows summarised, `encode_record`); per record and
per cohort the server flags the held-out subjects and not the validation ones, and its
label-free accuracy estimate of the held-out cohort is near the true accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.monitor.reference import summarize
from microforge.monitor.telemetry import encode_record
from tests.fleet.records import device_key
from tests.fleet.test_api import CBOR
from tests.monitor.har import HELD_OUT, VAL, Har

pytestmark = pytest.mark.slow
PERIODS = 6  # per device
DEVICES = {"validation": (1, 2), "held_out": (3, 4)}


def test_held_out_subjects_drift_per_cohort(client, har: Har) -> None:
    spec = har.ref.spec
    assert client.post("/api/models", json=har.ref.to_json(),
                       headers=client.bearer).status_code == 201
    for cohort, ids in DEVICES.items():
        for device_id in ids:
            assert client.post("/api/devices", headers=client.bearer, json={
                "device_id": device_id, "key_hex": device_key(device_id).hex(),
                "cohort": cohort, "model_id": spec.model_id,
                "model_version": spec.model_version}).status_code == 201
    rng = np.random.default_rng(0)
    correct: dict[str, list[int]] = {c: [] for c in DEVICES}
    for cohort, subjects in (("validation", VAL), ("held_out", HELD_OUT)):
        pool = np.flatnonzero(har.mask(subjects))
        for device_id in DEVICES[cohort]:
            for seq in range(1, PERIODS + 1):
                pick = rng.choice(pool, spec.period_windows, replace=False)
                inputs, scores = har.int8(har.x[pick])
                correct[cohort] += list(scores.argmax(axis=1) == har.y[pick])
                summary = summarize(spec, inputs, scores)
                record = encode_record(summary, device_id=device_id, seq=seq,
                                       key=device_key(device_id))
                r = client.post("/api/telemetry", content=record, headers=CBOR)
                assert r.status_code == 202, r.text
    devices = {d["device_id"]: d for d in client.get("/api/devices",
                                                      headers=client.bearer).json()}
    timelines = {d: client.get(f"/api/devices/{d}/timeline", headers=client.bearer).json()
                 for d in devices}
    flagged = {d: sum(bool(t["alerts"]) for t in timelines[d]) for d in devices}
    assert all(flagged[d] == 0 for d in DEVICES["validation"]), flagged
    assert all(flagged[d] >= PERIODS - 1 for d in DEVICES["held_out"]), flagged
    cohorts = {g["cohort"]: g for g in client.get("/api/drift?by=cohort",
                                                   headers=client.bearer).json()}
    assert cohorts["validation"]["alerts"] == []
    assert any(a.startswith("feature") for a in cohorts["held_out"]["alerts"])
    assert cohorts["held_out"]["records"] == PERIODS * len(DEVICES["held_out"])
    true = float(np.mean(correct["held_out"]))
    assert abs(cohorts["held_out"]["estimated_accuracy"] - true) < 0.05, (
        cohorts["held_out"]["estimated_accuracy"], true)
