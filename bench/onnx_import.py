"""The ONNX-imported test models (tests/importers/onnx_fixtures.py) on the emulated Cortex-M4:
layout transposes after conversion and left in the C, int8 agreement with onnxruntime, and
library flash / RAM / instructions per inference (NUCLEO-L4R5ZI, QEMU mps2-an386, -O2), beside
the same architecture built in Keras and quantized by microforge (bench/onnx_keras_twins.py).

    .venv/bin/python -m bench.onnx_import
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import keras
import onnx
from tests.importers.onnx_fixtures import MODELS

from bench.onnx_keras_twins import TWINS
from microforge.importers.onnx_import import import_onnx
from microforge.measure.verify import verify_on_mcu
from microforge.train.quantize import quantize_int8

BOARD = "nucleo_l4r5zi"


def main() -> None:
    print("| model | ONNX ops | transposes (converted / left) | int8 top-1 vs onnxruntime | "
          "SQNR | flash (B) ONNX / Keras | RAM (B) ONNX / Keras | instructions ONNX / Keras "
          "| MACs ONNX / Keras |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench_onnx_") as tmp:
        for name, build in MODELS.items():
            if name not in TWINS:  # the GRU: no twin
                continue
            model, x, _ = build()
            path = Path(tmp) / f"{name}.onnx"
            onnx.save(model, str(path))
            compiled = import_onnx(path, Path(tmp) / name, name, calibration=x[:160])
            r = compiled.import_report
            out = r.calibration.outputs[0]
            mcu = verify_on_mcu(r.tflite_path, BOARD, n_inputs=5, work_dir=Path(tmp) / "mcu")
            assert mcu.passed, mcu.mismatches
            twin = Path(tmp) / f"{name}_keras.tflite"
            twin.write_bytes(quantize_int8(TWINS[name](keras), r.layout.to_tflite(x[:160])))
            k = verify_on_mcu(twin, BOARD, n_inputs=5, work_dir=Path(tmp) / "mcu_keras")
            assert k.passed, k.mismatches
            print(f"| {name} | {len(r.onnx_ops)} | {r.transposes_converted} / "
                  f"{r.transposes_left} | {out.top1:.1%} | {out.sqnr_db:.1f} dB | "
                  f"{mcu.library_flash_bytes:,} / {k.library_flash_bytes:,} | "
                  f"{mcu.library_ram_bytes:,} / {k.library_ram_bytes:,} | "
                  f"{mcu.mean_instructions:,.0f} / {k.mean_instructions:,.0f} | "
                  f"{mcu.macs:,} / {k.macs:,} |", flush=True)


if __name__ == "__main__":
    main()
