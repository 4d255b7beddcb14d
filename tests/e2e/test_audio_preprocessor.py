"""TFLM's micro_speech audio preprocessor models (signal-library custom ops) compiled and run on
the host, bit-exact with TFLM on every 30 ms frame of the shared clips (49 per 1 s clip, the
example's 20 ms stride, the state reset at each clip, as the example does); and the whole
chain preprocessor -> micro_speech_quantized giving TFLM's outputs and labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm, tflm_interpreter
from tests.e2e.audio_frames import CLIPS, FEATURES, FOLDER, LABELS, SHORT_CLIPS, clip_frames


def _preprocessor(shared_data: Path, kind: str) -> bytes:
    return (shared_data / FOLDER / f"audio_preprocessor_{kind}.tflite").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["int8", "float"])
def test_preprocessor_matches_tflm_on_every_frame(shared_data: Path, tmp_path: Path,
                                                  kind: str) -> None:
    model = _preprocessor(shared_data, kind)
    compiled = compile_and_load(model, tmp_path / kind, "pre")
    assert compiled.info.state_size >= 4 * 40  # the spectral subtraction's noise estimate
    interpreter = tflm_interpreter(model)
    compared = 0
    for clip in (*CLIPS, *SHORT_CLIPS):
        interpreter.reset()
        compiled.reset()
        for index, frame in enumerate(clip_frames(shared_data, clip)):
            ref = run_tflm(model, [frame], interpreter)[0]
            ours = compiled.run([frame])[0]
            assert ours.dtype == ref.dtype and ours.shape == ref.shape == (40,)
            np.testing.assert_array_equal(ours, ref, err_msg=f"{clip} frame {index}")
            compared += 1
    assert compared == 4 * 49 + 2


def _features(frames: list[np.ndarray], run) -> np.ndarray:
    return np.stack([run(frame) for frame in frames]).astype(np.int8)


@pytest.mark.slow
def test_micro_speech_chain_gives_tflm_labels(shared_data: Path, tmp_path: Path) -> None:
    pre_model = _preprocessor(shared_data, "int8")
    kws_model = (shared_data / FOLDER / "micro_speech_quantized.tflite").read_bytes()
    pre = compile_and_load(pre_model, tmp_path / "pre", "pre")
    kws = compile_and_load(kws_model, tmp_path / "kws", "kws")
    tflm_pre, tflm_kws = tflm_interpreter(pre_model), tflm_interpreter(kws_model)
    labels = {}
    for clip in CLIPS:
        frames = clip_frames(shared_data, clip)
        pre.reset()
        tflm_pre.reset()
        ours = _features(frames, lambda f: pre.run([f])[0])
        ref = _features(frames, lambda f: run_tflm(pre_model, [f], tflm_pre)[0])
        assert ours.shape == FEATURES
        np.testing.assert_array_equal(ours, ref, err_msg=clip)
        scores = kws.run([ours.reshape(1, -1)])[0]
        np.testing.assert_array_equal(scores, run_tflm(kws_model, [ref.reshape(1, -1)],
                                                       tflm_kws)[0], err_msg=clip)
        labels[clip] = LABELS[int(np.argmax(scores))]
    # the example's test: yes -> yes, no -> no, silence -> silence, noise -> silence/unknown
    assert labels["yes_1000ms.wav"] == "yes" and labels["no_1000ms.wav"] == "no"
    assert labels["silence_1000ms.wav"] == "silence"
    assert labels["noise_1000ms.wav"] in ("silence", "unknown")
