"""`live`: a device's stream of samples classified on the host, window by window, with the
trained project's own pipeline (fitted DSP block, int8 model in TFLM, post-processing: the
`StreamingPipeline` that the generated C mirrors). Lines that are not samples (what the
firmware prints, e.g. its own results) are shown as they come; with no project that is all
`live` shows."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from microforge.collect.lines import LineParser, LineStats
from microforge.collect.rate import RateEstimate, estimate_rate
from microforge.collect.session import MAX_LINE, SerialLike, _flush, _is_disconnect, _waiting
from microforge.postprocess import StreamingPipeline

RATE_TOLERANCE = 0.02  # stream rate vs the project's, before `live` warns


@dataclass
class LiveEvent:
    """One thing to show: a decision of the host pipeline, or a line the device printed."""

    time_s: float  # since the stream started (decisions: by samples; text: by the clock)
    kind: str  # "decision" or "device"
    text: str
    label: str | None = None
    score: float | None = None


@dataclass
class LiveResult:
    events: list[LiveEvent]
    stats: LineStats
    rate: RateEstimate | None
    stopped: str  # "time", "interrupted", "disconnected", "lines"
    samples: np.ndarray  # every sample received (n, channels), as pushed into the pipeline
    warnings: list[str] = field(default_factory=list)

    @property
    def decisions(self) -> list[LiveEvent]:
        return [e for e in self.events if e.kind == "decision"]


def _numbers(text: str) -> bool:
    from microforge.collect.lines import parse_values

    return parse_values(text) is not None


def load_pipeline(project: str | Path, run_dir: str | Path | None = None) -> StreamingPipeline:
    """The trained project's StreamingPipeline (TFLM runs the int8 model; scikit-learn a
    classical one)."""
    from microforge.workspace.trained import load_trained_project

    t = load_trained_project(Path(project), Path(run_dir) if run_dir is not None else None)
    pipeline: StreamingPipeline = t.reference_pipeline()
    return pipeline


def run_live(
    port: SerialLike,
    pipeline: Any | None = None,
    *,
    seconds: float | None = None,
    max_lines: int | None = None,
    on_event: Callable[[LiveEvent], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LiveResult:
    """Read until `seconds` pass, `max_lines` lines, Ctrl-C or the device goes away.

    `pipeline`: a StreamingPipeline (push(samples) -> decisions, labels, sample_rate,
    block.n_channels) or None to show only the device's own lines."""
    width = int(pipeline.block.n_channels) if pipeline is not None else None
    parser = LineParser(width=width, keep_text=0)
    events: list[LiveEvent] = []
    received: list[list[float]] = []
    index: list[int] = []
    arrival: list[float] = []
    skip_partial = _flush(port)
    buffer = b""
    started = clock()
    stopped = "time"
    if pipeline is not None:
        pipeline.reset()

    def emit(event: LiveEvent) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    try:
        while True:
            if seconds is not None and clock() - started >= seconds:
                break
            if max_lines is not None and parser.stats.lines >= max_lines:
                stopped = "lines"
                break
            try:
                chunk = port.read(max(1, _waiting(port)))
            except Exception as exc:
                if _is_disconnect(exc):
                    stopped = "disconnected"
                    break
                raise
            if not chunk:
                continue
            t = clock()
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            if len(buffer) > MAX_LINE:
                lines.append(buffer)
                buffer = b""
            batch: list[list[float]] = []
            for raw in lines:
                if skip_partial:
                    skip_partial = False
                    continue
                slot, unused = parser.stats.slots, parser.stats.dropped
                batch += [v for v, _ in parser.feed(raw.rstrip(b"\r"), t)]
                if parser.stats.slots > slot:  # a sample period (text is not)
                    index.append(slot)
                    arrival.append(t)
                if parser.stats.dropped > unused:  # text the firmware prints, or noise
                    with contextlib.suppress(UnicodeDecodeError):
                        text = raw.decode("utf-8").strip()
                        if text and not _numbers(text):
                            emit(LiveEvent(t - started, "device", text))
            received += batch
            if pipeline is not None and batch:
                for d in pipeline.push(np.asarray(batch, np.float32)):
                    if d.detected:
                        label = pipeline.labels[d.label]
                        emit(LiveEvent(d.end_sample / pipeline.sample_rate,
                                       "decision", f"{label} {d.score:.2f}", label, d.score))
    except KeyboardInterrupt:
        stopped = "interrupted"
    finally:
        with contextlib.suppress(Exception):
            port.close()
    rate = estimate_rate(np.array(index), np.array(arrival))
    samples = np.asarray(received, np.float32).reshape(len(received), -1)
    result = LiveResult(events, parser.stats, rate, stopped, samples)
    if pipeline is not None and rate is not None:
        off = abs(rate.measured - pipeline.sample_rate) / pipeline.sample_rate
        if off > RATE_TOLERANCE:
            result.warnings.append(
                f"the stream runs at {rate.measured:.4g} Hz but the project was trained at "
                f"{pipeline.sample_rate:g} Hz ({off:.0%} off); the decisions are not "
                "trustworthy: set the device's rate to the project's")
    if pipeline is not None and parser.stats.wrong_width:
        result.warnings.append(
            f"{parser.stats.wrong_width} lines had another number of values than the "
            f"project's {width} channels and were skipped")
    return result
