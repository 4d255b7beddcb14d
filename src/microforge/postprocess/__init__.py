"""Post-processing and the streaming pipeline (the Python twin of the generated C pipeline).

    params = PostprocessParams.from_config(config.postprocess)
    pipeline = StreamingPipeline(block, TflmRunner(model_bytes), labels, stride, params)
    # TflmRunner / CompiledRunner: microforge.runners.model_runners
    decisions = pipeline.push(samples)          # one Decision per completed window
    events = [d for d in decisions if d.detected]
"""

from __future__ import annotations

from microforge.postprocess.decide import Decision, PostProcessor
from microforge.postprocess.model import Int8Runner
from microforge.postprocess.params import PostprocessParams, ScoreQuant
from microforge.postprocess.stream import StreamingPipeline
from microforge.postprocess.windows import WindowAssembler

__all__ = [
    "Decision",
    "Int8Runner",
    "PostProcessor",
    "PostprocessParams",
    "ScoreQuant",
    "StreamingPipeline",
    "WindowAssembler",
]
