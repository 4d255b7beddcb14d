"""TFLM's micro_speech audio preprocessor models (signal-library custom ops) compiled by
microforge, against TFLM: RAM, flash, and instructions per 30 ms frame on the emulated
Cortex-M4 (issue 10).

    .venv/bin/python -m bench.audio_preprocessor [--write-docs]

Frames: the example's framing (480 samples every 20 ms) of the four shared 1 s clips (yes, no,
noise, silence), 196 frames. Host: every frame compared with TFLM, the state reset at each clip.
Cortex-M4 (NUCLEO-L4R5ZI in QEMU, -O2): the 196 frames in one run (the state carried over, as
in a TFLM interpreter fed the same stream), every output compared with TFLM. RAM: our arena +
state + I/O buffers vs TFLM's arena total (it holds the I/O tensors and the ops' persistent
buffers: FFT state and twiddles, noise estimate); flash: `flash_estimate(cortex_m=True)`
(constants + code + kernels, arm-none-eabi-gcc -Os) vs the .tflite alone (TFLM's runtime and
signal kernels come on top).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from bench.doc_section import markdown_table, write_section

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Audio preprocessor (TFLM signal ops) on the Cortex-M4 (issue 10)"
COMMAND = ".venv/bin/python -m bench.audio_preprocessor --write-docs"


def measure(kind: str, work: Path) -> list[str]:
    from tests.e2e.audio_frames import CLIPS, FOLDER, clip_frames

    from microforge.paths import shared_data_dir
    from microforge.runners.host import compile_and_load
    from microforge.runners.mcu import run_model_on_mcu
    from microforge.runners.tflm import run_tflm, tflm_arena_size, tflm_interpreter

    data = shared_data_dir()
    assert data is not None, "the shared data is needed (../shared/data or MICROFORGE_DATA)"
    model = (data / FOLDER / f"audio_preprocessor_{kind}.tflite").read_bytes()
    compiled = compile_and_load(model, work / kind, "pre")
    info = compiled.info
    interpreter = tflm_interpreter(model)
    stream = []
    for clip in CLIPS:
        interpreter.reset()
        compiled.reset()
        for frame in clip_frames(data, clip):
            assert np.array_equal(compiled.run([frame])[0], run_tflm(model, [frame],
                                                                     interpreter)[0]), clip
            stream.append(frame)
    result = run_model_on_mcu(compiled, "nucleo_l4r5zi", [[f] for f in stream],
                              work_dir=work / f"m4_{kind}")
    reference = tflm_interpreter(model)
    for frame, ours in zip(stream, result.outputs, strict=True):
        assert np.array_equal(ours[0], run_tflm(model, [frame], reference)[0]), "M4 != TFLM"
    io = sum(d.size * np.dtype(d.dtype).itemsize for d in [*info.inputs, *info.outputs])
    ram = info.arena_size + info.state_size + io
    tflm = tflm_arena_size(model, [stream[0]])
    instructions = result.instructions
    return [kind, f"{len(stream)} + {len(stream)}", f"{info.arena_size:,}",
            f"{info.state_size:,}", f"{io:,}", f"{tflm.total:,} ({tflm.head:,})",
            f"{ram / tflm.total:.2f}x", f"{compiled.flash_estimate(cortex_m=True):,}",
            f"{len(model):,}", f"{int(np.mean(instructions)):,} ({min(instructions):,}-"
            f"{max(instructions):,})", f"{result.stack_bytes:,}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(kind, Path(tmp)) for kind in ("int8", "float")]
    table = markdown_table(
        ["model", "frames bit-exact (host + M4)", "arena", "state", "I/O", "TFLM arena (head)",
         "RAM vs TFLM", "flash (ours)", ".tflite", "M4 instructions per frame (min-max)",
         "stack"], "lrrrrrrrrrr", rows)
    text = (f"{SECTION}\n\nCommand: `{COMMAND}`. TFLM's `audio_preprocessor_int8.tflite` and "
            "`audio_preprocessor_float.tflite` (one 30 ms int16 frame -> 40 features: "
            "SignalWindow, SignalFftAutoScale, SignalRfft 512, SignalEnergy, SignalFilterBank, "
            "SignalFilterBankSquareRoot, SignalFilterBankSpectralSubtraction, SignalPCAN, "
            "SignalFilterBankLog and int32 builtins) on the 196 frames of the four shared 1 s "
            "clips (480 samples every 20 ms), every output bit-exact with TFLM on the host and on "
            "the emulated Cortex-M4 (NUCLEO-L4R5ZI, -O2). RAM: arena + state (the noise "
            "estimate) + I/O buffers, against TFLM's whole arena (its head, the activation "
            "memory, in brackets; the tail holds the FFT state and twiddles, which are flash "
            "constants here). Flash: the C library for the Cortex-M4 (-Os) against the "
            ".tflite alone (TFLM's runtime comes on top).\n\n"
            f"{table}\n")
    print(text)
    if args.write_docs:
        write_section(DOC, SECTION, text)


if __name__ == "__main__":
    main()
