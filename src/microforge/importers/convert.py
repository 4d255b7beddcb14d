"""ONNX -> TFLite: onnx-simplifier, then onnx2tf (NCHW -> NHWC, float SavedModel), then the
TFLite converter: full-integer int8 calibrated on the user's samples, or float32.

onnx2tf changes the layout of rank-3/4 inputs and outputs to channels-last; `Layout` says how
(the importer transposes calibration data, and the CLI tells the user)."""

from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.errors import ModelError
from microforge.importers.deps import require
from microforge.importers.onnx_model import OnnxModel
from microforge.ir.tflite_reader import read_tflite

QUANTIZE = ("int8", "float")
CALIBRATION_SAMPLES = 300  # at most this many representative inputs reach the quantizer


def channels_last(rank: int) -> tuple[int, ...]:
    """The permutation NC... -> N...C (identity below rank 3)."""
    return (0, *range(2, rank), 1) if rank >= 3 else tuple(range(rank))


@dataclass(frozen=True)
class Layout:
    """perm: axes of the ONNX tensor in the order of the TFLite tensor (identity: unchanged)."""

    onnx_shape: tuple[int, ...]
    tflite_shape: tuple[int, ...]
    perm: tuple[int, ...]

    @property
    def changed(self) -> bool:
        return self.perm != tuple(range(len(self.perm)))

    def to_tflite(self, x: np.ndarray) -> np.ndarray:
        """A batch in ONNX layout -> the TFLite layout (batch axis first in both)."""
        return np.ascontiguousarray(np.transpose(x, self.perm))

    def describe(self) -> str:
        if not self.changed:
            return f"{list(self.onnx_shape)} (unchanged)"
        return (f"ONNX {list(self.onnx_shape)} -> C {list(self.tflite_shape)} (channels last: "
                f"x.transpose{self.perm})")


def layout_of(onnx_shape: tuple[int, ...], tflite_shape: tuple[int, ...]) -> Layout:
    perm = channels_last(len(onnx_shape))
    if tuple(onnx_shape[p] for p in perm) == tuple(tflite_shape):
        return Layout(onnx_shape, tflite_shape, perm)
    if tuple(onnx_shape) == tuple(tflite_shape):
        return Layout(onnx_shape, tflite_shape, tuple(range(len(onnx_shape))))
    raise ModelError(f"the converter changed input shape {list(onnx_shape)} to "
                     f"{list(tflite_shape)}; cannot map the calibration data")


# ONNX ops whose input is channels-first by definition: an input read only by these is
# converted to channels-last; any other (an RNN's [N, T, C], a MatMul) keeps its shape
SPATIAL = {"Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool",
           "GlobalMaxPool", "BatchNormalization", "InstanceNormalization", "LpPool"}


def channels_first_input(proto, name: str) -> bool:
    readers = [node.op_type for node in proto.graph.node if name in node.input]
    return bool(readers) and all(op in SPATIAL for op in readers)


def _saved_model(model: OnnxModel, folder: Path) -> Path:
    """onnx-simplifier + onnx2tf: a float SavedModel in `folder`."""
    onnx = require("onnx")
    onnxsim = require("onnxsim")
    onnx2tf = require("onnx2tf")
    simplified, ok = onnxsim.simplify(model.proto)
    graph = simplified if ok else model.proto
    keep = [n for n, shape in zip(model.input_names, model.input_shapes, strict=True)
            if len(shape) >= 3 and not channels_first_input(graph, n)]
    source = folder / "model.onnx"  # onnx2tf rewrites its input file: give it a copy
    onnx.save(graph, str(source))
    out = folder / "saved_model"
    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            onnx2tf.convert(input_onnx_file_path=str(source), output_folder_path=str(out),
                            not_use_onnxsim=True, non_verbose=True, verbosity="error",
                            disable_model_save=False, enable_rnn_unroll=True,
                            keep_shape_absolutely_input_names=keep or None)
    except (Exception, SystemExit) as exc:  # onnx2tf calls sys.exit on unsupported ops
        raise ModelError(f"{model.path}: onnx2tf cannot convert it: {_first_error(log, exc)}"
                         ) from exc
    if not (out / "saved_model.pb").exists():
        raise ModelError(f"{model.path}: onnx2tf wrote no model: {_first_error(log, None)}")
    return out


def _first_error(log: io.StringIO, exc: BaseException | None) -> str:
    for line in log.getvalue().splitlines():
        text = line.strip()
        if "ERROR" in text or "Error" in text:
            return text.replace("\x1b[0m", "").replace("\x1b[31m", "")[:200]
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200] if exc else "?"


def to_tflite(model: OnnxModel, calibration: np.ndarray | None,
              quantize: str = "int8") -> tuple[bytes, Layout]:
    """(the .tflite bytes, the input layout). `calibration`: float inputs in ONNX layout
    (needed for int8)."""
    if quantize not in QUANTIZE:
        raise ModelError(f"quantize must be one of {', '.join(QUANTIZE)}, not {quantize!r}")
    tf = require("tensorflow")
    with tempfile.TemporaryDirectory(prefix="mf_onnx_") as tmp:
        saved = _saved_model(model, Path(tmp))
        float_model = _convert(tf.lite.TFLiteConverter.from_saved_model(str(saved)), model)
        layout = layout_of(model.input_shapes[0], _input_shape(float_model))
        if quantize == "float":
            return float_model, layout
        if calibration is None:
            raise ModelError(f"{model.path}: int8 needs calibration samples (--calibration)")
        samples = layout.to_tflite(calibration[:CALIBRATION_SAMPLES])

        def representative():
            for sample in samples:
                yield [sample[None]]

        converter = tf.lite.TFLiteConverter.from_saved_model(str(saved))
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
        return _convert(converter, model), layout


def _input_shape(tflite_model: bytes) -> tuple[int, ...]:
    graph = read_tflite(tflite_model)
    return tuple(graph.tensors[graph.inputs[0]].shape)


def _convert(converter, model: OnnxModel) -> bytes:
    from microforge.runners.native import captured_native_output

    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                captured_native_output():
            warnings.simplefilter("ignore")
            return bytes(converter.convert())
    except Exception as exc:  # the converter raises many types; all mean "cannot convert"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelError(f"{model.path}: the TFLite converter cannot convert onnx2tf's model: "
                         f"{first}") from exc
