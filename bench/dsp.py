"""DSP cost per window on the emulated Cortex-M4 (and M0+): MFCC (MLPerf KWS preset) and
spectral features (UCI HAR), float and fixed point, beside the network's cost.

    .venv/bin/python -m bench.dsp [--write-docs]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import microforge
from bench.doc_section import markdown_table, write_section
from microforge.dsp import make_block, mlperf_kws_preset
from microforge.dsp.quantize import quantize_features
from microforge.paths import shared_data_dir
from microforge.runners.dsp_mcu import run_dsp_on_mcu
from microforge.runners.mcu import run_model_on_mcu

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## DSP on the Cortex-M4 (issue 5)"
COMMAND = ".venv/bin/python -m bench.dsp --write-docs"
BOARDS = {"cortex-m4": "nucleo_l4r5zi", "cortex-m0plus": "raspberry_pi_pico",
          "rv32imc": "esp32_c3"}
HAR_MODEL = ROOT / "build/uci_har/model_int8.tflite"  # examples/uci_har, when built


@dataclass
class Row:
    what: str
    core: str
    variant: str  # "float" | "fixed point" | "network"
    instructions: int
    flash: int  # library objects kept by the linker
    ram: int  # library static RAM (scratch / arena)
    stack: int  # whole firmware high-water mark


def _speech(data: Path, n: int) -> np.ndarray:
    import soundfile

    root = data / "datasets/speech_commands_subset"
    files = sorted(p for p in root.glob("*/*.wav") if p.parent.name != "_background_noise_")
    clips = [soundfile.read(f, dtype="float32")[0] for f in files[:: len(files) // n][:n]]
    return np.stack([np.pad(c, (0, 16000 - len(c))) for c in clips])[..., None]


def _har(data: Path, n: int) -> np.ndarray:
    root = data / "datasets/uci_har_test/inertial_signals_test_csv"
    names = [f"{k}_{a}" for k in ("body_acc", "body_gyro", "total_acc") for a in "xyz"]
    return np.stack([np.loadtxt(root / f"{c}_test.csv", delimiter=",", dtype=np.float32,
                                max_rows=n) for c in names], axis=-1)


def dsp_rows(what: str, block, x: np.ndarray, work: Path) -> list[Row]:
    rows = []
    for core, board in BOARDS.items():
        for fixed in (False, True):
            r = run_dsp_on_mcu(block.emit_c("mf_bench_dsp", fixed_point=fixed), board, x,
                               work_dir=work / f"{what[:4]}_{core}_{fixed}")
            rows.append(Row(what, core, "fixed point" if fixed else "float",
                            int(statistics.median(r.instructions)), r.library_flash_bytes,
                            r.library_ram_bytes, r.stack_bytes))
            print(f"{what} {core} {rows[-1].variant}: {rows[-1].instructions:,}", flush=True)
    return rows


def network_row(what: str, model_path: Path, inputs: list[np.ndarray], work: Path) -> Row:
    model = microforge.compile(model_path, work / f"net_{what[:4]}", name="net")
    r = run_model_on_mcu(model, BOARDS["cortex-m4"], [[i] for i in inputs],
                         work_dir=work / f"netrun_{what[:4]}")
    return Row(what, "cortex-m4", "network", int(statistics.median(r.instructions)),
               r.library_flash_bytes, r.library_ram_bytes, r.stack_bytes)


def table(rows: list[Row]) -> str:
    header = ["block", "core", "variant", "instructions / window", "flash B (library)",
              "static RAM B (library)", "stack B (firmware)"]
    return markdown_table(header, "lllrrrr", ([r.what, r.core, r.variant, f"{r.instructions:,}",
                                               f"{r.flash:,}", f"{r.ram:,}", f"{r.stack:,}"]
                                              for r in rows))


def section_text(rows: list[Row], head: str) -> str:
    return f"""{SECTION}

Command: `{COMMAND}` (at {head}). Every figure is measured on QEMU with the instruction-count
plugin (`microforge.runners.dsp_mcu.run_dsp_on_mcu`): the generated `<prefix>_features` runs
between the measure markers on real windows (5 Speech Commands clips, 20 UCI HAR windows; the
median per window is shown; the count barely depends on the data). Cortex-M4 = NUCLEO-L4R5ZI
profile (FPU, hard float) on `mps2-an386`; Cortex-M0+ = Raspberry Pi Pico profile (no FPU, soft
float) on `mps2-an385`; rv32imc = ESP32-C3 profile (no FPU) on QEMU `virt`. Flash and RAM are the DSP objects only (generated tables and code plus
the runtime/dsp kernels the linker kept; static RAM = the scratch buffers); the stack is the
whole firmware's high-water mark. gcc -O2 (arm-none-eabi-gcc 12, riscv64-unknown-elf-gcc).

- MFCC (KWS): the MLPerf Tiny KWS preset, 1 s at 16 kHz -> 49 x 10 (49 frames of a 512-point
  FFT, 40 mel filters, log, DCT). Network: the MLPerf Tiny KWS DS-CNN
  (`kws_ref_model.tflite`, microforge-compiled, int8), one inference per window.
- Spectral (HAR): the spectral block with its defaults (rms/mean/std/skewness/kurtosis, 3 peaks,
  8 log bands, standardised) on 128 x 9 UCI HAR windows at 50 Hz -> 171 features. Network: the
  examples/uci_har CNN (raw 128 x 9 input; that example trains on the raw block), when
  `build/uci_har` exists.
- Fixed point = q31 FFT with block floating point, integer magnitude, q15 filterbank; the log,
  DCT, statistics and standardisation stay float (see docs/dsp_c.md). On the Cortex-M4 the float
  path is the one to use (single-cycle FPU); fixed point is for cores without an FPU.

{table(rows)}
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help=f"write the section into {DOC}")
    args = parser.parse_args(argv)
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data not found; set MICROFORGE_DATA")
    speech, har = _speech(data, 5), _har(data, 20)
    kws = mlperf_kws_preset().fit(speech, 16000)
    spectral = make_block("spectral", {}).fit(har, 50.0)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="mf_bench_dsp_") as tmp:
        work = Path(tmp)
        rows += dsp_rows("MFCC (KWS)", kws, speech, work)
        kws_model = data / "models/mlperf_kws/kws_ref_model.tflite"
        q = quantize_features(kws.transform(speech), 0.5847029089927673, 83, "truncate")
        rows.append(network_row("MFCC (KWS)", kws_model, [f[None, ..., None] for f in q], work))
        rows += dsp_rows("Spectral (HAR)", spectral, har, work)
        if HAR_MODEL.is_file():
            raw = make_block("raw", {"normalize": True}).fit(har, 50.0).transform(har)
            info = microforge.compile(HAR_MODEL, work / "har_probe", name="probe").input_details()
            scale, zero = info["quantization"]
            inputs = [quantize_features(w, scale, zero)[None] for w in raw]
            rows.append(network_row("Spectral (HAR)", HAR_MODEL, inputs, work))
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip() or "unknown"
    text = section_text(rows, head)
    print(text)
    if args.write_docs:
        write_section(DOC, SECTION, text)
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
