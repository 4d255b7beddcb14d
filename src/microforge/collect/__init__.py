"""Data from a device: `collect` (serial lines of values -> recordings in the dataset layout)
and `live` (the stream classified on the host by a trained project's pipeline). See
docs/collect.md."""

from microforge.collect.lines import LineParser, LineStats
from microforge.collect.rate import RateEstimate, estimate_rate
from microforge.collect.session import CollectResult, collect, write_recording

__all__ = [
    "CollectResult", "LineParser", "LineStats", "RateEstimate", "collect", "estimate_rate",
    "write_recording",
]
