"""A classical model trained in a project: the fitted estimator, which kind it is, and (for a
detector) its threshold; the one-hot int8 "scores" it gives the pipeline's post-processing.

In the pipeline (Python and C alike) a classical model's decision for a window becomes a
one-hot score vector (1 for the decided class, scale 1, zero point 0), so the post-processing
(averaging over k windows = a vote, detector threshold, suppression) is the same code as for
an int8 network. A detector's classes are ("normal", "anomaly")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from microforge.postprocess.params import ScoreQuant

DETECTOR_LABELS = ("normal", "anomaly")
_REFERENCES = {"lightgbm": "LightGBM", "autoencoder": "Keras int8, TFLM"}


def reference_of(kind: str) -> str:
    """What trained the kind and decides as the C must: "scikit-learn" for most."""
    return _REFERENCES.get(kind, "scikit-learn")
ONE_HOT = ScoreQuant(1.0, 0)


@dataclass
class TrainedClassical:
    estimator: Any
    kind: str                      # classical.kinds name or classical.detectors name
    role: Literal["classifier", "detector"]
    n_features: int
    threshold: float | None = None  # detector: anomaly = score > threshold

    def decide(self, x: np.ndarray) -> np.ndarray:
        """Class indices (classifier) or anomaly flags 0/1 (detector) of float32 rows, as
        scikit-learn decides them (the reference the C must equal)."""
        from microforge.classical.fit import detector_scores, flat_features

        rows = flat_features(x, "features")
        if self.role == "detector":
            assert self.threshold is not None
            return (detector_scores(self.estimator, rows) > self.threshold).astype(np.int64)
        return np.asarray(self.estimator.predict(rows), np.int64)

    @property
    def n_outputs(self) -> int:
        return 2 if self.role == "detector" else len(self.estimator.classes_)

    def meta(self) -> dict[str, Any]:
        return {"kind": self.kind, "role": self.role, "n_features": self.n_features,
                "threshold": self.threshold}


class OneHotRunner:
    """A classical model as the Python pipeline's model (postprocess.model.Int8Runner, with
    float input): float32 features -> one-hot int8 scores of its decision."""

    float_input = True
    input_quant = ONE_HOT
    output_quant = ONE_HOT

    def __init__(self, model: TrainedClassical) -> None:
        self.model = model
        self.input_size = model.n_features
        self.output_size = model.n_outputs

    def __call__(self, x: np.ndarray) -> np.ndarray:
        out = np.zeros(self.output_size, np.int8)
        out[int(self.model.decide(np.asarray(x, np.float32).reshape(1, -1))[0])] = 1
        return out
