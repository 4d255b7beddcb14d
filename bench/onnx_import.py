"""The ONNX-imported test models (tests/importers/onnx_fixtures.py) on the emulated Cortex-M4:
layout transposes after conversion and left in the C, int8 agreement with onnxruntime, and
flash / RAM / instructions per inference (NUCLEO-L4R5ZI, QEMU mps2-an386, -O2).

    .venv/bin/python -m bench.onnx_import
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import onnx
from tests.importers.onnx_fixtures import MODELS

from microforge.importers.onnx_import import import_onnx
from microforge.measure.verify import verify_on_mcu

BOARD = "nucleo_l4r5zi"


def main() -> None:
    print("| model | ONNX ops | transposes (converted / left) | int8 top-1 vs onnxruntime | "
          "SQNR | library flash (B) | library RAM (B) | instructions | MACs |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench_onnx_") as tmp:
        for name, build in MODELS.items():
            model, x, _ = build()
            path = Path(tmp) / f"{name}.onnx"
            onnx.save(model, str(path))
            compiled = import_onnx(path, Path(tmp) / name, name, calibration=x[:160])
            r = compiled.import_report
            out = r.calibration.outputs[0]
            mcu = verify_on_mcu(r.tflite_path, BOARD, n_inputs=5, work_dir=Path(tmp) / "mcu")
            assert mcu.passed, mcu.mismatches
            print(f"| {name} | {len(r.onnx_ops)} | {r.transposes_converted} / "
                  f"{r.transposes_left} | {out.top1:.1%} | {out.sqnr_db:.1f} dB | "
                  f"{mcu.library_flash_bytes:,} | {mcu.library_ram_bytes:,} | {mcu.mean_instructions:,.0f} | "
                  f"{mcu.macs:,} |", flush=True)


if __name__ == "__main__":
    main()
