"""What the API and the dashboard show: plain JSON-ready dicts read from the database.

    list_devices(session); list_alerts(session); timeline(session, 7)
    drift_groups(session, "cohort")   # combined records per group, assessed
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import finite, record_from_fields
from microforge.fleet.tables import AlertRow, DeviceRow, ModelRow, RecordRow, RolloutRow
from microforge.monitor.aggregate import combine
from microforge.monitor.drift import assess, midpoints
from microforge.monitor.reference import MonitorReference

GROUPINGS = ("device", "cohort", "model")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def list_models(session: Session) -> list[dict[str, Any]]:
    return [{"model_id": m.model_id, "model_version": m.model_version, "name": m.name,
             "created": iso(m.created)}
            for m in session.scalars(select(ModelRow).order_by(ModelRow.id))]


def list_devices(session: Session) -> list[dict[str, Any]]:
    alerts = dict(session.execute(select(AlertRow.device_id, func.count())
                                  .group_by(AlertRow.device_id)).all())
    rows = session.execute(select(DeviceRow, ModelRow.model_id, ModelRow.model_version)
                           .join(ModelRow, DeviceRow.model == ModelRow.id)
                           .order_by(DeviceRow.device_id))
    return [{"device_id": d.device_id, "cohort": d.cohort, "model_id": model_id,
             "model_version": version, "last_seq": d.last_seq, "last_seen": iso(d.last_seen),
             "records": d.records, "windows": d.windows, "alerts": alerts.get(d.device_id, 0)}
            for d, model_id, version in rows]


def device_detail(session: Session, device_id: int) -> dict[str, Any]:
    """One device's facts and what its pages compare with: its model's reference accuracy
    and mean confidence, and the monitored feature groups."""
    row = session.execute(select(DeviceRow, ModelRow).join(
        ModelRow, DeviceRow.model == ModelRow.id).where(DeviceRow.device_id == device_id)).first()
    if row is None:
        raise FleetError(404, "unknown_device", f"device {device_id} is not registered")
    device, model = row
    ref = MonitorReference.from_json(model.reference)
    return {"device_id": device.device_id, "cohort": device.cohort, "model_id": model.model_id,
            "model_version": model.model_version, "records": device.records,
            "last_seen": iso(device.last_seen), "reference_accuracy": ref.accuracy,
            "reference_mean_confidence": float(np.asarray(ref.conf_hist) @ midpoints(ref)),
            "feature_groups": list(ref.spec.feature_groups)}


def list_alerts(session: Session, device_id: int | None = None,
                limit: int = 1000) -> list[dict[str, Any]]:
    query = select(AlertRow).order_by(AlertRow.id.desc()).limit(limit)
    if device_id is not None:
        query = query.where(AlertRow.device_id == device_id)
    return [{"device_id": a.device_id, "seq": a.seq, "kind": a.kind, "detail": a.detail,
             "created": iso(a.created)} for a in session.scalars(query)]


def timeline(session: Session, device_id: int, limit: int = 1000) -> list[dict[str, Any]]:
    if session.get(DeviceRow, device_id) is None:
        raise FleetError(404, "unknown_device", f"device {device_id} is not registered")
    rows = session.execute(select(RecordRow, ModelRow.model_version)
                           .join(ModelRow, RecordRow.model == ModelRow.id)
                           .where(RecordRow.device_id == device_id)
                           .order_by(RecordRow.seq.desc()).limit(limit)).all()
    out = []
    for r, version in reversed(rows):
        d = r.drift
        out.append({"seq": r.seq, "received": iso(r.received), "model_version": version,
                    "windows": r.windows, "estimated_accuracy": d["estimated_accuracy"],
                    "mean_confidence": d["mean_confidence"], "alerts": d["alerts"],
                    "feature_psi": d["feature_psi"], "class_p": d["class_p"],
                    "confidence_psi": d["confidence_psi"]})
    return out


def list_rollouts(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(RolloutRow, ModelRow.model_id, ModelRow.model_version)
                           .join(ModelRow, RolloutRow.model == ModelRow.id)
                           .order_by(RolloutRow.id))
    return [{"rollout_id": r.id, "device_id": r.device_id, "bundle": r.bundle,
             "model_id": model_id, "model_version": version, "state": r.state,
             "created": iso(r.created), "updated": iso(r.updated)}
            for r, model_id, version in rows]


def drift_groups(session: Session, by: str, since: datetime | None = None) -> list[dict[str, Any]]:
    """Per group (device, cohort or model version; always within one model version, the unit
    records combine in): the records combined (microforge.monitor.aggregate.combine) and
    assessed against that model's reference."""
    if by not in GROUPINGS:
        raise FleetError(400, "schema", f"by={by!r}: use one of {', '.join(GROUPINGS)}")
    query = select(RecordRow.fields, RecordRow.model, DeviceRow.cohort, RecordRow.device_id) \
        .join(DeviceRow, RecordRow.device_id == DeviceRow.device_id)
    if since is not None:
        query = query.where(RecordRow.received >= since)
    groups: dict[tuple[Any, int], list[dict[str, Any]]] = defaultdict(list)
    for fields, model, cohort, device_id in session.execute(query):
        key = {"device": device_id, "cohort": cohort, "model": None}[by]
        groups[(key, model)].append(fields)
    models = {m.id: m for m in session.scalars(select(ModelRow))}
    references = {i: MonitorReference.from_json(m.reference) for i, m in models.items()}
    out = []
    for (key, model), fields in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        combined = combine([record_from_fields(f) for f in fields])
        report = assess(combined, references[model])
        group: dict[str, Any] = {"model_id": models[model].model_id,
                                 "model_version": models[model].model_version,
                                 "records": len(fields), "windows": combined.windows,
                                 "class_counts": list(combined.class_counts),
                                 "conf_hist": list(combined.conf_hist),
                                 "reference_accuracy": references[model].accuracy,
                                 **finite(dataclasses.asdict(report))}
        if by != "model":
            group[by] = key
        out.append(group)
    return out
