"""The streaming pipeline in Python: samples -> windows -> DSP -> int8 (or int16) -> model ->
decisions."""

from __future__ import annotations

from typing import Literal

import numpy as np

from microforge.dsp.base import DspBlock
from microforge.dsp.quantize import quantize_features
from microforge.errors import ConfigError
from microforge.postprocess.decide import Decision, PostProcessor
from microforge.postprocess.model import Int8Runner
from microforge.postprocess.params import PostprocessParams
from microforge.postprocess.windows import WindowAssembler


class StreamingPipeline:
    """The same steps, in the same order, as the generated `mf_<name>_pipeline_push`.

    `block` is a fitted DSP block, `model` an Int8Runner (TflmRunner or CompiledRunner),
    `stride` in samples. `rounding` is how features become the model's int8 input (int16 for
    a 16x8 network: its input quantization says which).
    """

    def __init__(self, block: DspBlock, model: Int8Runner, labels: list[str], stride: int,
                 postprocess: PostprocessParams,
                 rounding: Literal["nearest", "truncate"] = "nearest") -> None:
        if block.sample_rate is None:
            raise ConfigError("the streaming pipeline needs a fitted DSP block")
        sample_rate, win_len, n_channels = block.fitted_geometry()
        n_features = int(np.prod(block.feature_shape(win_len, n_channels)))
        if n_features != model.input_size:
            raise ConfigError(f"the DSP block gives {n_features} features but the model takes "
                              f"{model.input_size} inputs; retrain the model with this block")
        if model.output_size != len(labels):
            raise ConfigError(f"the model gives {model.output_size} scores for {len(labels)} "
                              "labels (labels.json)")
        self.block, self.model, self.labels = block, model, list(labels)
        self.sample_rate = float(sample_rate)
        self.rounding = rounding
        self.windows = WindowAssembler(win_len, n_channels, stride)
        self.post = PostProcessor(postprocess, self.labels, model.output_quant, self.sample_rate)

    @property
    def stride(self) -> int:
        return self.windows.stride

    def reset(self) -> None:
        self.windows.reset()
        self.post.reset()

    def push(self, samples: np.ndarray) -> list[Decision]:
        """Samples (n, channels), or interleaved (n * channels,); a Decision per window."""
        done = self.windows.push(samples)
        if not done:
            return []
        features = self.block.transform(np.stack([w for w, _ in done]))
        q = self.model.input_quant
        decisions = []
        float_input = getattr(self.model, "float_input", False)  # a classical model
        for feature, (_, end) in zip(features, done, strict=True):
            if float_input:
                x = np.asarray(feature, np.float32).reshape(-1)
            else:
                x = quantize_features(feature.reshape(-1), q.scale, q.zero_point, self.rounding,
                                      q.bits)
            decisions.append(self.post.step(self.model(x), end))
        return decisions

    def run(self, signal: np.ndarray) -> list[Decision]:
        """reset, then push a whole recording."""
        self.reset()
        return self.push(signal)

    def push_int16(self, samples: np.ndarray) -> list[Decision]:
        """int16 PCM, scaled by 1/32768 as the WAV reader (and `mf_<name>_pipeline_push`) do."""
        pcm = np.asarray(samples, dtype=np.int16)
        return self.push(pcm.astype(np.float32) * np.float32(1.0 / 32768.0))
