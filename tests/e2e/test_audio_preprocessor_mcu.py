"""TFLM's audio preprocessor models on the emulated Cortex-M4 (NUCLEO-L4R5ZI, QEMU), bit-exact
with TFLM on every frame of the four 1 s clips run as one stream (196 frames in one QEMU run:
the noise estimate carries over from frame to frame, and from clip to clip, as in TFLM's
interpreter invoked on the same stream). Prints the per-frame instructions, flash and RAM. And
the chain preprocessor -> micro_speech_quantized on the M4, with TFLM's scores and labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.mcu import run_model_on_mcu
from microforge.runners.tflm import run_tflm, tflm_interpreter
from microforge.targets.boards import load_board
from microforge.targets.cores import core_spec
from microforge.targets.toolchain import toolchain_available
from tests.e2e.audio_frames import CLIPS, FOLDER, clip_frames


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["int8", "float"])
def test_preprocessor_on_cortex_m4_matches_tflm(shared_data: Path, tmp_path: Path,
                                                kind: str) -> None:
    board = load_board("nucleo_l4r5zi")
    if not toolchain_available(core_spec(board).arch):
        pytest.fail("arm-none-eabi toolchain missing: run `make toolchain`")
    model = (shared_data / FOLDER / f"audio_preprocessor_{kind}.tflite").read_bytes()
    frames = [frame for clip in CLIPS for frame in clip_frames(shared_data, clip)]
    compiled = compile_and_load(model, tmp_path / "c", "pre")
    result = run_model_on_mcu(compiled, board, [[f] for f in frames], work_dir=tmp_path / "m")
    interpreter = tflm_interpreter(model)
    for index, (frame, ours) in enumerate(zip(frames, result.outputs, strict=True)):
        np.testing.assert_array_equal(ours[0], run_tflm(model, [frame], interpreter)[0],
                                      err_msg=f"frame {index}")
    assert len(result.instructions) == len(frames) == 196
    assert result.library_ram_bytes >= compiled.info.arena_size + compiled.info.state_size
    print(f"\n{kind}: {int(np.mean(result.instructions)):,} instructions per frame (min "
          f"{min(result.instructions):,}, max {max(result.instructions):,}); library flash "
          f"{result.library_flash_bytes:,} B, RAM {result.library_ram_bytes:,} B (arena "
          f"{compiled.info.arena_size:,} + state {compiled.info.state_size:,}), stack "
          f"{result.stack_bytes:,} B")


@pytest.mark.slow
def test_micro_speech_chain_on_cortex_m4_gives_tflm_labels(shared_data: Path,
                                                           tmp_path: Path) -> None:
    """The deployed pair on the M4: the int8 preprocessor on each clip's 49 frames (one QEMU run
    per clip, so the state starts from reset as in the example), its features into
    micro_speech_quantized (one more run): scores equal TFLM's chain, labels the example's."""
    from tests.e2e.audio_frames import LABELS

    board = load_board("nucleo_l4r5zi")
    if not toolchain_available(core_spec(board).arch):
        pytest.fail("arm-none-eabi toolchain missing: run `make toolchain`")
    pre_model = (shared_data / FOLDER / "audio_preprocessor_int8.tflite").read_bytes()
    kws_model = (shared_data / FOLDER / "micro_speech_quantized.tflite").read_bytes()
    pre = compile_and_load(pre_model, tmp_path / "pre", "pre")
    kws = compile_and_load(kws_model, tmp_path / "kws", "kws")
    features = []
    for clip in CLIPS:
        frames = clip_frames(shared_data, clip)
        run = run_model_on_mcu(pre, board, [[f] for f in frames], work_dir=tmp_path / clip)
        features.append(np.stack([out[0] for out in run.outputs]).reshape(1, -1))
        interpreter = tflm_interpreter(pre_model)
        reference = np.stack([run_tflm(pre_model, [f], interpreter)[0] for f in frames])
        np.testing.assert_array_equal(features[-1].reshape(reference.shape), reference, clip)
    scores = run_model_on_mcu(kws, board, [[f] for f in features], work_dir=tmp_path / "k")
    kws_interpreter = tflm_interpreter(kws_model)
    labels = []
    for clip, f, ours in zip(CLIPS, features, scores.outputs, strict=True):
        np.testing.assert_array_equal(ours[0], run_tflm(kws_model, [f], kws_interpreter)[0],
                                      clip)
        labels.append(LABELS[int(np.argmax(ours[0]))])
    by_clip = dict(zip(CLIPS, labels, strict=True))
    assert by_clip["yes_1000ms.wav"] == "yes" and by_clip["no_1000ms.wav"] == "no"
    assert by_clip["silence_1000ms.wav"] == "silence"
    assert by_clip["noise_1000ms.wav"] in ("silence", "unknown")
