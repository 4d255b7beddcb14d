"""A model trained elsewhere (an int8 .tflite taking an image) -> a frame library: the camera's
frames (RGB565, YUYV, grayscale, RGB888, at the camera's resolution) through the image block
(decode, colour, crop/letterbox/stretch, resample) into the model's input, then the label.

    lib, block = compile_frame_model(model_bytes, "out", frame_format="rgb565",
                                     frame_size=(160, 120), name="cam", labels=[...])
    twin = FramePipeline(block, model_bytes, labels)       # the same labels in Python

The model's input (1, height, width, 1 or 3) gives the block's output size and colour. The
normalisation ("auto") is read from the input's quantization: the int8 range mapped back to
floats is 0..255 (raw pixels, e.g. the MLPerf Tiny ResNet-8), 0..1 (unit) or -1..1 (signed);
any other range needs an explicit `normalize`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from microforge.dsp.image import NORMALIZE, ImageBlock, ImageParams
from microforge.dsp.image_ops import FRAME_FORMATS
from microforge.errors import ConfigError, ModelError
from microforge.library.frame_assemble import FrameLibrary, compile_frame_pipeline

NORMALIZE_TOLERANCE = 0.05  # of the range's span: how close the int8 range must come


def input_geometry(model: bytes) -> tuple[int, int, int, float, int]:
    """(height, width, channels, input scale, input zero point) of an image model."""
    from microforge.runners.tflm import tflm_interpreter

    detail = tflm_interpreter(bytes(model)).get_input_details(0)
    shape = [int(d) for d in detail["shape"]]
    if len(shape) != 4 or shape[0] != 1 or shape[3] not in (1, 3):
        raise ModelError(f"the model's input is {shape}; a frame library needs an image input "
                         "(1, height, width, 1 or 3)")
    if np.dtype(detail["dtype"]) != np.int8:
        raise ModelError(f"the model's input is {np.dtype(detail['dtype'])}; the frame library "
                         "needs an int8 model (quantize it, e.g. the *_quant.tflite)")
    q = detail.get("quantization_parameters") or {}
    scale = float(np.asarray(q.get("scales", [0]))[0])
    zero_point = int(np.asarray(q.get("zero_points", [0]))[0])
    return shape[1], shape[2], shape[3], scale, zero_point


def infer_normalize(scale: float, zero_point: int) -> str:
    """The image block's normalisation whose range the int8 input covers."""
    low, high = (-128 - zero_point) * scale, (127 - zero_point) * scale
    for name, (gain, offset) in NORMALIZE.items():
        lo, hi = offset, 255 * gain + offset
        span = hi - lo
        if abs(low - lo) <= NORMALIZE_TOLERANCE * span and \
                abs(high - hi) <= NORMALIZE_TOLERANCE * span:
            return name
    raise ConfigError(f"the model's int8 input covers {low:g}..{high:g}, none of 0..255 (raw), "
                      "0..1 (unit), -1..1 (signed); give the normalisation it was trained "
                      "with (--normalize)")


def frame_block(model: bytes, frame_format: str, frame_size: tuple[int, int], *,
                fit: str = "crop", resize: str = "bilinear",
                normalize: str = "auto") -> ImageBlock:
    """The fitted image block from `frame_size` (width, height) frames to the model's input."""
    if frame_format not in FRAME_FORMATS:
        raise ConfigError(f"frame format {frame_format!r}; one of {', '.join(FRAME_FORMATS)}")
    height, width, channels, scale, zero_point = input_geometry(model)
    if normalize == "auto":
        normalize = infer_normalize(scale, zero_point)
    for name, value, allowed in (("fit", fit, ("crop", "letterbox", "stretch")),
                                 ("resize", resize, ("bilinear", "nearest")),
                                 ("normalize", normalize, tuple(NORMALIZE))):
        if value not in allowed:
            raise ConfigError(f"--{name} {value!r}: one of {', '.join(allowed)}")
    params = ImageParams(width=width, height=height,
                         color="grayscale" if channels == 1 else "rgb",
                         resize=resize, fit=fit, normalize=normalize,  # type: ignore[arg-type]
                         frame_format=frame_format)  # type: ignore[arg-type]
    frame_width, frame_height = frame_size
    if frame_width < 1 or frame_height < 1:
        raise ConfigError(f"frame size {frame_width}x{frame_height}: give WIDTHxHEIGHT pixels")
    block = ImageBlock(params)
    source_channels = 1 if frame_format == "grayscale" else 3
    return block.fit(np.zeros((1, frame_height, frame_width, source_channels), np.float32))


def compile_frame_model(model: bytes | str | Path, out_dir: str | Path, *, frame_format: str,
                        frame_size: tuple[int, int], name: str = "model",
                        labels: Sequence[str] | None = None, fit: str = "crop",
                        resize: str = "bilinear", normalize: str = "auto",
                        ) -> tuple[FrameLibrary, ImageBlock]:
    """The frame library of an int8 image classifier (and the block, for its Python twin)."""
    data = Path(model).read_bytes() if isinstance(model, (str, Path)) else bytes(model)
    block = frame_block(data, frame_format, frame_size, fit=fit, resize=resize,
                        normalize=normalize)
    from microforge.runners.tflm import tflm_interpreter

    n_out = int(np.prod(tflm_interpreter(data).get_output_details(0)["shape"]))
    names = list(labels) if labels is not None else [str(i) for i in range(n_out)]
    if len(names) != n_out:
        raise ConfigError(f"{len(names)} labels for the model's {n_out} scores; give one per "
                          "score (--labels a,b,...)")
    return compile_frame_pipeline(block, data, names, out_dir, name=name), block
