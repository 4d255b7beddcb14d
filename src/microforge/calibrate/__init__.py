"""Keyword-spotting calibration: the detector post-processing tuned on a long stream (DET curve)."""
