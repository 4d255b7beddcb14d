"""TFLM's audio preprocessor models on the emulated Cortex-M4 (NUCLEO-L4R5ZI, QEMU), bit-exact
with TFLM on every frame of the four 1 s clips run as one stream (196 frames in one QEMU run:
the noise estimate carries over from frame to frame, and from clip to clip, as in TFLM's
interpreter invoked on the same stream). Prints the per-frame instructions, flash and RAM."""

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
