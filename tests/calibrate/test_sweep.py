"""Keyword-spotting calibration on real clips: the MLPerf Tiny KWS model and its MFCC front
end on two long streams of Speech Commands clips (disjoint clips) with background noise
between them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.calibrate.project import calibrate_streams
from microforge.calibrate.stream import Stream, build_stream
from microforge.calibrate.sweep import detections, window_scores
from microforge.postprocess.decide import PostProcessor
from microforge.postprocess.params import PostprocessParams
from tests.e2e.pipeline_data import KWS_LABELS, RATE, kws_block, kws_model

pytestmark = [pytest.mark.slow, pytest.mark.shared]

IGNORE = ["_silence_", "_unknown_"]
OTHER_WORDS = ["bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow"]
STRIDE = 1600  # 100 ms


def _stream(shared: Path, clips_of: slice, seed: int) -> Stream:
    import soundfile

    root = shared / "datasets/speech_commands_subset"
    clips = []
    for word in KWS_LABELS[:10] + OTHER_WORDS:
        label = word if word in KWS_LABELS else "_unknown_"
        for path in sorted((root / word).glob("*.wav"))[clips_of]:
            audio, rate = soundfile.read(path, dtype="float32")
            assert rate == RATE
            clips.append((label, audio.reshape(-1, 1)))
    noises = [soundfile.read(p, dtype="float32")[0].reshape(-1, 1) * 0.1
              for p in sorted((root / "_background_noise_").glob("*.wav"))]
    return build_stream(clips, noises, RATE, seed)


@pytest.fixture(scope="module")
def streams(shared_data, tflm):
    # clips 0-4 of each word tune, clips 5-9 check: no clip in both
    return _stream(shared_data, slice(0, 5), 0), _stream(shared_data, slice(5, 10), 1)


def test_vectorised_decisions_equal_the_post_processor(shared_data, tflm):
    short = _stream(shared_data, slice(0, 2), 2)
    ws = window_scores(kws_block(), kws_model(shared_data), KWS_LABELS, STRIDE, short)
    for params in (PostprocessParams("detector", 3, 0.7, 1000.0, tuple(IGNORE)),
                   PostprocessParams("detector", 1, 0.4, 0.0, tuple(IGNORE)),
                   PostprocessParams("detector", 6, 0.9, 500.0, tuple(IGNORE))):
        post = PostProcessor(params, KWS_LABELS, ws.quant, RATE)
        expected = [(int(end), KWS_LABELS[d.label]) for end, row in zip(ws.ends, ws.scores,
                                                                        strict=True)
                    if (d := post.step(row, int(end))).detected]
        assert detections(ws, params) == expected


def test_chosen_parameters_meet_the_target_on_the_tuning_stream(streams, shared_data, capsys):
    tune, check = streams
    target = 20.0  # per hour: at most 1 false activation in the ~4 min tuning stream
    result = calibrate_streams(kws_block(), kws_model(shared_data), KWS_LABELS, STRIDE, tune,
                               check, IGNORE, target)
    chosen, on_check = result.chosen, result.on_check
    assert chosen is not None and on_check is not None
    assert chosen.false_activations_per_hour <= target
    assert chosen.keywords == 50 and on_check.keywords == 50
    # the DET curve of the other clips: false rejections fall as false activations rise
    curve = result.check_curve
    assert len(curve) >= 3
    rates = [p.false_rejection_rate for p in curve]
    assert all(a > b for a, b in zip(rates[:-1], rates[1:], strict=True))
    assert np.all(np.diff([p.false_activations_per_hour for p in curve]) >= 0)
    with capsys.disabled():
        print(f"\nKWS calibration: tuning {60 * result.tune_hours:.1f} min, check "
              f"{60 * result.check_hours:.1f} min; chosen k={chosen.average_windows} "
              f"threshold {chosen.threshold} suppression {chosen.suppression_ms:g} ms: tuning "
              f"{chosen.false_activations_per_hour:.1f} FA/h, FRR "
              f"{100 * chosen.false_rejection_rate:.1f} %; check "
              f"{on_check.false_activations_per_hour:.1f} FA/h, FRR "
              f"{100 * on_check.false_rejection_rate:.1f} %")
    # the reference model finds most keywords on clips it was not tuned on
    assert on_check.false_rejection_rate < 0.3
