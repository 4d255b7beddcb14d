"""StreamingPipeline: windows -> block -> int8 -> model -> decisions, checked against doing each
step by hand, with TFLM and with the compiled model (micro_speech: 1960 int8 inputs, 4 classes,
behind a raw block of 1960-sample windows)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.dsp import make_block
from microforge.dsp.quantize import quantize_features
from microforge.errors import ConfigError, ModelError
from microforge.postprocess import PostprocessParams, StreamingPipeline
from microforge.runners.model_runners import TflmRunner

LABELS = ["silence", "unknown", "yes", "no"]


@pytest.fixture(scope="module")
def model(shared_data: Path) -> bytes:
    return (shared_data / "models/tflm_micro_speech/micro_speech_quantized.tflite").read_bytes()


def _block(win_len: int = 1960):
    return make_block("raw", {"scale": 40.0}).fit(np.zeros((1, win_len, 1), np.float32), 1000.0)


def _signal(n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.cumsum(rng.standard_normal(n)).astype(np.float32) / 30


def test_decisions_are_the_steps_done_by_hand(model: bytes) -> None:
    runner = TflmRunner(model)
    pipeline = StreamingPipeline(_block(), runner, LABELS, 700, PostprocessParams())
    signal = _signal(6000)
    decisions = pipeline.run(signal)
    assert [d.end_sample for d in decisions] == [1960, 2660, 3360, 4060, 4760, 5460]
    q = runner.input_quant
    for d in decisions:
        window = signal[d.end_sample - 1960:d.end_sample] * np.float32(40.0)
        scores = runner(quantize_features(window, q.scale, q.zero_point))
        assert d.label == int(np.argmax(scores)) and d.detected
        out = runner.output_quant
        assert d.score == pytest.approx((int(scores.max()) - out.zero_point) * out.scale)


def test_chunking_and_int16_do_not_change_decisions(model: bytes) -> None:
    pipeline = StreamingPipeline(_block(), TflmRunner(model), LABELS, 500,
                                 PostprocessParams("detector", 2, 0.3, 100.0, ("silence",)))
    pcm = (np.clip(_signal(5000), -1, 1) * 32767).astype(np.int16)
    whole = pipeline.run(pcm.astype(np.float32) / 32768)
    pipeline.reset()
    pieces = [d for part in np.array_split(pcm, 13) for d in pipeline.push_int16(part)]
    assert pieces == whole and len(whole) == 7


def test_compiled_model_gives_the_same_decisions_as_tflm(model: bytes) -> None:
    from microforge.runners.host import compile_and_load
    from microforge.runners.model_runners import CompiledRunner

    signal = _signal(4000)
    params = PostprocessParams(average_windows=3)
    tflm = StreamingPipeline(_block(), TflmRunner(model), LABELS, 300, params).run(signal)
    compiled = StreamingPipeline(_block(), CompiledRunner(compile_and_load(model)), LABELS, 300,
                                 params).run(signal)
    assert compiled == tflm and len(tflm) == 7


def test_mismatches_are_one_line_errors(model: bytes, shared_data: Path) -> None:
    with pytest.raises(ConfigError, match="gives 100 features but the model takes 1960"):
        StreamingPipeline(_block(100), TflmRunner(model), LABELS, 10, PostprocessParams())
    with pytest.raises(ConfigError, match="4 scores for 3 labels"):
        StreamingPipeline(_block(), TflmRunner(model), LABELS[:3], 10, PostprocessParams())
    float_model = shared_data / "models/tflm_magic_wand/magic_wand.tflite"
    with pytest.raises(ModelError, match="int8 or int16 input, not float32"):
        TflmRunner(float_model.read_bytes())
