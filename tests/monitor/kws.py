"""A fast real fixture: the MLPerf Tiny KWS model (shared data) on the 5 golden MFCC inputs,
its monitor spec (edges from those 5 windows, 10 MFCC-coefficient groups) and summary."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.config import MonitorSection
from microforge.monitor.reference import MonitorReference, fit_reference, summarize
from microforge.monitor.summary import Summary
from microforge.runners.model_runners import TflmRunner


def kws_windows(shared: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes]:
    """(int8 inputs (5, 490), int8 scores (5, 12), labels, model bytes)."""
    golden = np.load(shared / "models/mlperf_kws/frontend_golden.npz")
    model = (shared / "models/mlperf_kws/kws_ref_model.tflite").read_bytes()
    runner = TflmRunner(model)
    inputs = golden["features_int8"].reshape(5, -1).astype(np.int8)
    scores = np.stack([runner(x) for x in inputs])
    return inputs, scores, golden["labels"].astype(np.int64), model


def kws_reference(shared: Path, section: MonitorSection | None = None) -> MonitorReference:
    inputs, scores, labels, model = kws_windows(shared)
    section = section or MonitorSection(enabled=True, feature_bins=4, period_windows=5)
    return fit_reference(inputs, inputs, scores, labels, 10, TflmRunner(model).output_quant,
                         model, section)


def kws_summary(shared: Path) -> Summary:
    ref = kws_reference(shared)
    inputs, scores, _, _ = kws_windows(shared)
    return summarize(ref.spec, inputs, scores)
