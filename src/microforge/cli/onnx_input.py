"""An .onnx where verify / profile / deploy take a .tflite: converted and checked (the gates of
docs/pytorch.md) into a temporary .tflite that lives as long as the command."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

import typer

from microforge.cli import console

CALIBRATION = typer.Option(
    None, "--calibration", help="An .onnx model's representative inputs (.npy/.npz in the ONNX "
    "layout, or a microforge project) for int8 calibration and the agreement check.")
FLOAT = typer.Option(False, "--float", help="An .onnx model in float32, not int8.")


def model_file(model: Path, calibration: Path | None, float_model: bool,
               stack: ExitStack) -> Path:
    """`model` itself unless it is an .onnx; then its converted .tflite (with a labels.json
    beside the .onnx copied beside it), removed when `stack` closes."""
    if model.suffix.lower() != ".onnx":
        return model
    from microforge.importers.onnx_import import convert_onnx

    tflite_model, report = convert_onnx(model, calibration, "float" if float_model else "int8")
    for line in report.lines():
        console.print(line, highlight=False, soft_wrap=True)
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mf_onnx_")))
    path = folder / f"{model.stem}.tflite"
    path.write_bytes(tflite_model)
    labels = model.with_name("labels.json")
    if labels.is_file():
        shutil.copy2(labels, folder / "labels.json")
    return path
