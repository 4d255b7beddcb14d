"""Verify a trained image project's frame library (camera frame -> image block -> int8 model
-> label or FOMO centroids) on the host and on an emulated MCU: every test image, encoded as
the camera's `frame_format` delivers it, through the C (gcc on the host; the board's core in
QEMU) and through the Python twin (library.frame_assemble.FramePipeline: the block's integer
path, TFLM, the same post-processing); every result must be equal. For a detector the C's
centroids are also scored against the images' objects (centroid precision/recall/F1).

    report = verify_frames_on_mcu("project/microforge.toml", "stm32f746g_disco")
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.errors import ConfigError, DataError
from microforge.measure.emulated import emulated_board, latency_ms
from microforge.targets.boards import Board
from microforge.targets.cores import CoreSpec
from microforge.train.detect_metrics import DetectionMetrics
from microforge.workspace.data import ProjectData


@dataclass
class FrameVerifyReport:
    project: str
    config_path: Path
    board: Board
    core: CoreSpec
    detector: bool
    frame_format: str
    frame_size: tuple[int, int]  # width, height
    source: str  # which images, for the report
    n_images: int
    host_agreeing: int
    mcu_agreeing: int
    mismatches: list[str] = field(default_factory=list)
    dsp_instructions: float = 0.0  # mean per frame: frame -> int8 model input
    network_instructions: float = 0.0  # mean per frame: the model (+ FOMO post-processing)
    flash_bytes: int = 0  # whole firmware
    ram_bytes: int = 0
    library_flash_bytes: int = 0
    library_ram_bytes: int = 0
    stack_bytes: int = 0
    held_out: bool = True
    c_metrics: DetectionMetrics | None = None  # a detector: the C centroids vs the objects
    c_accuracy: float | None = None  # a classifier: the C labels vs the images' labels

    @property
    def passed(self) -> bool:
        return self.n_images > 0 and self.host_agreeing == self.mcu_agreeing == self.n_images

    @property
    def agreement(self) -> float:
        return min(self.host_agreeing, self.mcu_agreeing) / self.n_images if self.n_images \
            else 0.0

    def latency_ms(self) -> float:
        return latency_ms(self.dsp_instructions + self.network_instructions, self.core,
                          self.board)


def project_frames(project: ProjectData, block, max_images: int | None
                   ) -> tuple[list[bytes], np.ndarray, str, bool]:
    """(frames in the block's frame_format, the window indices they come from, source,
    held out) for the final split's test images (else validation, else all)."""
    from microforge.dsp.image_ops import encode_frame

    _, windows = project.load()
    fold = project.final_fold()
    chosen, source, held_out = None, "", True
    for part in ("test", "val"):
        if fold.mask(part).any():
            chosen, source = np.flatnonzero(fold.mask(part)), f"{part} images of the final split"
            break
    if chosen is None:
        chosen, held_out = np.arange(len(windows.y)), False
        source = "all images: TRAINING data (the final model has no held-out split)"
    if max_images is not None:
        if max_images < 1:
            raise ConfigError(f"--inputs must be at least 1, got {max_images}")
        chosen = chosen[:max_images]
    pixels = np.floor(np.clip(np.asarray(windows.x[chosen], np.float32), 0, 255) + 0.5)
    h, w, c = block.frame_shape()
    pixels = pixels.reshape(len(chosen), h, w, c).astype(np.uint8)
    frames = [encode_frame(p, block.params.frame_format) for p in pixels]
    if not frames:
        raise DataError(f"{project.config.dataset_path()}: no images to verify")
    return frames, chosen, source, held_out


def verify_frames_on_mcu(config_path: str | Path, board: Board | str, *,
                         max_images: int | None = None, run_dir: Path | None = None,
                         project: ProjectData | None = None) -> FrameVerifyReport:
    from rich.console import Console

    from microforge.library.frame_assemble import compile_trained_frames, frame_twin
    from microforge.runners.frame_host import run_frames_on_host
    from microforge.runners.frame_mcu import run_frames_on_mcu
    from microforge.workspace.trained import load_trained_project

    board, core = emulated_board(board)
    config_path = Path(config_path)
    if project is None:
        project = ProjectData.from_toml(config_path, Console(stderr=True, quiet=True))
    trained = load_trained_project(config_path, run_dir, project.config)
    if trained.block.windowed:
        raise ConfigError(f"{config_path}: the frame library is for [dsp] block = \"image\"")
    frames, chosen, source, held_out = project_frames(project, trained.block, max_images)
    twin = frame_twin(trained)
    expected: list
    if trained.detector:
        expected = [[(o.label, o.x, o.y, o.frame_x, o.frame_y, int(o.score))
                     for o in twin.detect(f)] for f in frames]
    else:
        expected = [twin.classify(f) for f in frames]
    with tempfile.TemporaryDirectory(prefix="mf_verify_frames_") as tmp:
        library = compile_trained_frames(trained, Path(tmp) / "lib")
        host = run_frames_on_host(library, frames)
        run = run_frames_on_mcu(library, board, frames)
    mismatches = []
    for where, results in (("host", host), (board.id, run.results)):
        for i, (got, want) in enumerate(zip(results, expected, strict=True)):
            if got != want:
                mismatches.append(f"image {int(chosen[i])} on {where}: C {got}, Python {want}")
    h, w, _ = twin.block.frame_shape()
    report = FrameVerifyReport(
        project=trained.name, config_path=config_path, board=board, core=core,
        detector=trained.detector, frame_format=twin.block.params.frame_format,
        frame_size=(w, h),
        source=source, n_images=len(frames),
        host_agreeing=sum(g == e for g, e in zip(host, expected, strict=True)),
        mcu_agreeing=sum(g == e for g, e in zip(run.results, expected, strict=True)),
        mismatches=mismatches, dsp_instructions=float(np.mean(run.dsp_instructions)),
        network_instructions=float(np.mean(run.network_instructions)),
        flash_bytes=run.image.flash_bytes, ram_bytes=run.image.ram_bytes,
        library_flash_bytes=run.image.library_flash_bytes,
        library_ram_bytes=run.image.library_ram_bytes, stack_bytes=run.stack_bytes,
        held_out=held_out)
    dataset, windows = project.load()
    if trained.detector:
        from microforge.train.detect_metrics import evaluate_detections
        from microforge.train.fomo import object_centroids

        recordings = [dataset.recordings[int(r)] for r in np.asarray(windows.recording)[chosen]]
        truth = object_centroids(recordings, dataset.classes, trained.block)
        predicted = [[(label, x, y) for label, x, y, *_ in objs] for objs in run.results]
        report.c_metrics = evaluate_detections(truth, predicted, trained.labels,
                                               project.config.detection.match_distance)
    else:
        labels = np.asarray([r[0] for r in run.results])
        report.c_accuracy = float(np.mean(labels == np.asarray(windows.y)[chosen]))
    return report


def camera_frames(images: Path, frame_format: str, frame_size: tuple[int, int],
                  max_images: int | None = None) -> tuple[list[bytes], list[str]]:
    """The images of a folder (any depth; or one image file) as a camera of `frame_size`
    (width, height) would deliver them: centre-cropped to its aspect ratio, resized (Pillow,
    bilinear), encoded in `frame_format`. Returns (frames, file names)."""
    from PIL import Image, ImageOps

    from microforge.data.readers.images import is_image, open_image
    from microforge.dsp.image_ops import encode_frame

    images = Path(images)
    if images.is_dir():
        paths = sorted(p for p in images.rglob("*") if p.is_file() and is_image(p))
    elif images.is_file() and is_image(images):
        paths = [images]
    else:
        raise ConfigError(f"--images {images}: not an image folder or a .jpg/.png/.bmp file")
    if not paths:
        raise DataError(f"{images}: no .jpg/.jpeg/.png/.bmp images in it")
    if max_images is not None:
        if max_images < 1:
            raise ConfigError(f"--inputs must be at least 1, got {max_images}")
        paths = paths[:max_images]
    frames = []
    for path in paths:
        pixels, _ = open_image(path)
        image = Image.fromarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels)
        fitted = ImageOps.fit(image.convert("RGB"), frame_size, Image.Resampling.BILINEAR)
        frames.append(encode_frame(np.asarray(fitted, np.uint8), frame_format))
    return frames, [p.name for p in paths]


def verify_frame_model_on_mcu(model: Path, board: Board | str, images: Path, *,
                              frame_format: str, frame_size: tuple[int, int],
                              labels: list[str] | None = None, fit: str = "crop",
                              resize: str = "bilinear", normalize: str = "auto",
                              max_images: int | None = None) -> FrameVerifyReport:
    """An int8 image model trained elsewhere behind the image block (library.frame_model):
    the images as camera frames through its frame library on the host and the board's
    emulated core, each label and score compared with the Python twin."""
    from microforge.library.frame_assemble import FramePipeline
    from microforge.library.frame_model import compile_frame_model
    from microforge.runners.frame_host import run_frames_on_host
    from microforge.runners.frame_mcu import run_frames_on_mcu

    board, core = emulated_board(board)
    model = Path(model)
    data = model.read_bytes()
    frames, names = camera_frames(images, frame_format, frame_size, max_images)
    with tempfile.TemporaryDirectory(prefix="mf_verify_frame_model_") as tmp:
        library, block = compile_frame_model(data, Path(tmp) / "lib", frame_format=frame_format,
                                             frame_size=frame_size, name="model", labels=labels,
                                             fit=fit, resize=resize, normalize=normalize)
        twin = FramePipeline(block, data, list(library.constants.labels))
        expected = [twin.classify(f) for f in frames]
        host = run_frames_on_host(library, frames)
        run = run_frames_on_mcu(library, board, frames)
    mismatches = [f"{names[i]} on {where}: C {got}, Python {want}"
                  for where, results in (("host", host), (board.id, run.results))
                  for i, (got, want) in enumerate(zip(results, expected, strict=True))
                  if got != want]
    return FrameVerifyReport(
        project=model.stem, config_path=model, board=board, core=core, detector=False,
        frame_format=frame_format, frame_size=frame_size,
        source=f"images of {images} as camera frames", n_images=len(frames),
        host_agreeing=sum(g == e for g, e in zip(host, expected, strict=True)),
        mcu_agreeing=sum(g == e for g, e in zip(run.results, expected, strict=True)),
        mismatches=mismatches, dsp_instructions=float(np.mean(run.dsp_instructions)),
        network_instructions=float(np.mean(run.network_instructions)),
        flash_bytes=run.image.flash_bytes, ram_bytes=run.image.ram_bytes,
        library_flash_bytes=run.image.library_flash_bytes,
        library_ram_bytes=run.image.library_ram_bytes, stack_bytes=run.stack_bytes)
