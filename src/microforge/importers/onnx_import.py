"""ONNX -> gates -> C: `import_onnx` converts, checks and compiles, and returns the same
host-runnable compiled model as `microforge.compile`, with what the import measured."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from microforge.atomic import atomic_write_bytes
from microforge.errors import ModelError
from microforge.importers.calibration import CalibrationSource, load_calibration
from microforge.importers.convert import Layout, to_tflite
from microforge.importers.gates import (
    MIN_SQNR_DB,
    MIN_TOP1,
    Agreement,
    agreement,
    check_agreement,
    check_int8,
    check_ops,
)
from microforge.importers.onnx_model import read_onnx
from microforge.ir.tflite_reader import read_tflite
from microforge.passes.fold_layout_transposes import fold_layout_transposes, layout_transposes
from microforge.runners.host import CompiledModel, compile_and_load

FLOAT_CHECK_SAMPLES = 32  # float import without calibration: seeded normal inputs


@dataclass(frozen=True)
class ImportReport:
    source: Path
    quantize: str
    onnx_ops: tuple[str, ...]
    layout: Layout
    calibration: Agreement  # on the calibration samples
    held_out: Agreement | None  # on held-out samples (a project's test windows)
    transposes_converted: int  # TRANSPOSEs in the converted .tflite
    transposes_left: int  # after fold_layout_transposes: in the compiled C
    tflite_path: Path | None

    def lines(self) -> list[str]:
        lines = [f"{self.source.name}: ONNX ops {', '.join(self.onnx_ops)} -> {self.quantize}",
                 f"input layout: {self.layout.describe()}",
                 f"layout transposes: {self.transposes_converted} after conversion, "
                 f"{self.transposes_left} left in the C"]
        lines += [f"calibration: {line}" for line in self.calibration.lines()]
        if self.held_out is not None:
            lines += [f"held out: {line}" for line in self.held_out.lines()]
        return lines


class ImportedModel(CompiledModel):
    """A compiled model (set_input / invoke / get_output) and its `import_report`."""

    import_report: ImportReport


def convert_onnx(path: str | os.PathLike[str], calibration: CalibrationSource | None = None,
                 quantize: str = "int8", input_shape: tuple[int, ...] | None = None,
                 min_top1: float = MIN_TOP1,
                 min_sqnr_db: float = MIN_SQNR_DB) -> tuple[bytes, ImportReport]:
    """The converted, checked .tflite and the report; nothing is written. ModelError (one
    line naming the file, op or tensor) when a gate fails."""
    model = read_onnx(path, input_shape)
    shape = model.input_shapes[0]
    calib = load_calibration(calibration, shape) if calibration is not None else None
    if calib is None and quantize == "int8":
        raise ModelError(f"{model.path}: int8 needs calibration samples: a .npy/.npz of inputs "
                         f"of shape [N, {', '.join(map(str, shape[1:]))}] or a project "
                         f"(--calibration)")
    tflite_model, layout = to_tflite(model, None if calib is None else calib.x, quantize)
    graph = read_tflite(tflite_model)
    check_ops(graph, model)
    if quantize == "int8":
        check_int8(graph, model)
    x = calib.x if calib is not None else np.random.default_rng(0).normal(
        size=(FLOAT_CHECK_SAMPLES, *shape[1:])).astype(np.float32)
    on_calibration = agreement(model, tflite_model, graph, layout, x)
    check_agreement(model, on_calibration, quantize, min_top1, min_sqnr_db)
    held_out = None
    if calib is not None and calib.held_out is not None and len(calib.held_out):
        held_out = agreement(model, tflite_model, graph, layout, calib.held_out)
        check_agreement(model, held_out, quantize, min_top1, min_sqnr_db)
    report = ImportReport(model.path, quantize, tuple(model.ops), layout, on_calibration,
                          held_out, layout_transposes(graph),
                          layout_transposes(fold_layout_transposes(graph)), None)
    return tflite_model, report


def import_onnx(path: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None,
                name: str = "model", *, calibration: CalibrationSource | None = None,
                quantize: str = "int8", input_shape: tuple[int, ...] | None = None,
                min_top1: float = MIN_TOP1, min_sqnr_db: float = MIN_SQNR_DB,
                **options: Any) -> ImportedModel:
    """Convert, check and compile an ONNX model; `out_dir` also keeps `<name>.tflite`."""
    tflite_model, report = convert_onnx(path, calibration, quantize, input_shape, min_top1,
                                        min_sqnr_db)
    compiled = compile_and_load(tflite_model, out_dir, name, **options)
    kept = Path(compiled.out_dir) / f"{name}.tflite"
    atomic_write_bytes(kept, tflite_model)
    imported = ImportedModel(compiled.info)
    imported.import_report = dataclasses.replace(report, tflite_path=kept)
    return imported
