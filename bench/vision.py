"""Vision on the emulated Cortex-M7 and M4: the frame library (camera frame -> image block ->
int8 model -> label / FOMO centroids) at 96x96 grayscale and RGB, RAM/flash/instructions per
frame beside the TFLM arena of the same model; the FOMO detector's centroid F1 (int8, TFLM) on
a generated set and the classifier's int8 accuracy on real digits.

    PYTHONPATH=. .venv/bin/python -m bench.vision [--write-docs]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
from tests.data.images import detection_set, digits_folder
from tests.library.vision_models import rgb565

from bench.doc_section import markdown_table, write_section
from microforge.data import DatasetSpec, load_dataset, make_windows
from microforge.data.windowing import WindowSpec
from microforge.dsp import make_block
from microforge.library.frame_assemble import FramePipeline, compile_frame_pipeline
from microforge.runners.frame_mcu import run_frames_on_mcu
from microforge.runners.tflm import tflm_arena_size
from microforge.train.detect_metrics import evaluate_detections
from microforge.train.fit import TrainParams, train_model
from microforge.train.fomo import fomo_targets, train_fomo
from microforge.train.quantize import quantize_int8
from microforge.train.zoo import build_model

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Vision: camera frames on the Cortex-M7 and M4 (issue 20)"
COMMAND = "PYTHONPATH=. .venv/bin/python -m bench.vision --write-docs"
BOARDS = {"cortex-m7": "stm32f746g_disco", "cortex-m4": "nucleo_l4r5zi"}
SIZE = 96
FRAMES = 4  # frames measured per model and core


def _digits(work: Path, color: str):
    folder = digits_folder(work / f"digits_{color}", per_class=30, classes=tuple(range(10)),
                           upscale=12)  # 8x8 -> 96x96
    dataset = load_dataset(DatasetSpec(folder))
    windows = make_windows(dataset, WindowSpec(1, 1))
    x = np.repeat(windows.x, 3, axis=-1)
    block = make_block("image", {"width": SIZE, "height": SIZE, "color": color,
                                 "frame_format": "rgb565"}).fit(x)
    features = block.transform(x)
    test = np.isin(windows.groups, ["w0", "w1"])
    model = build_model("mobilenet", features.shape[1:], 10, width=0.25, dropout=0.0)
    train_model(model, features[~test], windows.y[~test], params=TrainParams(
        epochs=6, batch_size=16, learning_rate=0.005, early_stopping_patience=0),
        progress=False)
    int8 = quantize_int8(model, features[~test], n_samples=100)
    twin = FramePipeline(block, int8, list(dataset.classes))
    frames = [rgb565(img.astype(np.uint8)) for img in x[test]]
    accuracy = float(np.mean([twin.classify(f)[0] == y for f, y in
                              zip(frames, windows.y[test], strict=True)]))
    return block, int8, list(dataset.classes), frames[:FRAMES], f"int8 accuracy {accuracy:.1%}"


def _fomo(work: Path, color: str):
    folder, _ = detection_set(work / f"det_{color}", n_images=120, size=SIZE, max_objects=4)
    dataset = load_dataset(DatasetSpec(folder))
    windows = make_windows(dataset, WindowSpec(1, 1))
    x = windows.x if color == "grayscale" else np.repeat(windows.x, 3, axis=-1)
    fmt = "grayscale" if color == "grayscale" else "rgb888"
    block = make_block("image", {"width": SIZE, "height": SIZE, "color": color,
                                 "frame_format": fmt, "fit": "stretch"}).fit(x)
    features = block.transform(x)
    classes = list(dataset.classes)
    truth = [[(classes.index(o.label), *o.centroid) for o in r.objects or ()]
             for r in dataset.recordings]
    test = windows.groups == "scene0"
    targets = fomo_targets(truth, (SIZE // 8, SIZE // 8), 8)
    model = build_model("fomo", features.shape[1:], len(classes), width=1.0, dropout=0.0)
    train_fomo(model, features[~test], targets[~test],
               TrainParams(epochs=20, batch_size=16, learning_rate=0.01))
    int8 = quantize_int8(model, features[~test], n_samples=100)
    twin = FramePipeline(block, int8, classes, detector=True, threshold=0.5)
    frames = [x[i].astype(np.uint8).tobytes() for i in np.flatnonzero(test)]
    predicted = [[(c.label, c.x, c.y) for c in twin.detect(f)] for f in frames]
    m = evaluate_detections([truth[i] for i in np.flatnonzero(test)], predicted, classes, 8.0)
    o = m.overall
    note = (f"centroid F1 {o.f1:.2f} (precision {o.precision:.2f}, recall {o.recall:.2f}, "
            f"{o.tp + o.fn} objects in {len(frames)} held-out images, within 8 px)")
    return block, int8, classes, frames[:FRAMES], note


CIFAR10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
           "truck"]


def _resnet8(work: Path, fmt: str):
    """The shared MLPerf Tiny ResNet-8 (int8, 32x32 RGB) behind the image block, from 160x120
    camera frames of real photographs (scikit-learn's china.jpg / flower.jpg, crops)."""
    from sklearn.datasets import load_sample_images

    from microforge.dsp.image_ops import encode_frame
    from microforge.library.frame_model import compile_frame_model
    from microforge.paths import shared_data_dir

    data = shared_data_dir()
    if data is None:
        raise SystemExit("bench.vision needs ../shared/data (MICROFORGE_DATA) for ResNet-8")
    int8 = (data / "models" / "mlperf_ic" / "pretrainedResnet_quant.tflite").read_bytes()
    _, block = compile_frame_model(int8, work / f"resnet_{fmt}", frame_format=fmt,
                                   frame_size=(160, 120), name="cam", labels=CIFAR10)
    crops = [img[y:y + 120, x:x + 160] for img in load_sample_images().images
             for y in (0, 300) for x in (0, 480)]
    frames = [encode_frame(np.ascontiguousarray(c), fmt) for c in crops]
    return block, int8, CIFAR10, frames[:FRAMES], (
        f"160x120 {fmt} frames of real photos, crop + bilinear to 32x32 RGB, raw 0..255")


def _cases():
    """(model, colour column, maker(work) -> (block, int8, labels, frames, note))."""
    for kind, make in (("MobileNet 0.25 classifier", _digits), ("FOMO detector", _fomo)):
        for color in ("grayscale", "rgb"):
            yield kind, color, partial(make, color=color)
    for fmt in ("rgb565", "yuyv"):
        yield "MLPerf ResNet-8 (shared)", f"rgb, {fmt} 160x120 -> 32x32", partial(_resnet8,
                                                                                 fmt=fmt)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    rows, notes, ratios = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench_vision_") as tmp:
        work = Path(tmp)
        for kind, color, make in _cases():
            block, int8, labels, frames, note = make(work)
            notes.append(f"{kind}, {color}: {note}")
            arena = tflm_arena_size(int8).total
            detector = kind.startswith("FOMO")
            lib = compile_frame_pipeline(block, int8, labels, work / "lib", name="cam",
                                         detector=detector)
            twin = FramePipeline(block, int8, labels, detector=detector)
            for core, board in BOARDS.items():
                run = run_frames_on_mcu(lib, board, frames)
                if detector:
                    same = run.results == [[(o.label, o.x, o.y, o.frame_x, o.frame_y,
                                             int(o.score)) for o in twin.detect(f)]
                                           for f in frames]
                else:
                    same = run.results == [twin.classify(f) for f in frames]
                ratio = run.image.library_ram_bytes / arena
                ratios.append((kind, color, ratio))
                rows.append([kind, color, core, f"{np.mean(run.dsp_instructions):,.0f}",
                             f"{np.mean(run.network_instructions):,.0f}",
                             f"{run.image.library_flash_bytes:,}",
                             f"{run.image.library_ram_bytes:,}", f"{arena:,}", f"{ratio:.2f}",
                             "yes" if same else "NO"])
                print(rows[-1], flush=True)
    header = ["model", "colour", "core", "image block instr./frame", "model instr./frame",
              "library flash B", "library RAM B", "TFLM arena B", "RAM / arena", "C == Python"]
    met = sorted({f"{k} ({c})" for k, c, r in ratios if r <= 0.6})
    missed = sorted({f"{k} ({c}) {r:.2f}x" for k, c, r in ratios if r > 0.6})
    goal = (f"Goal RAM <= 0.6x TFLM's arena: met by {', '.join(met) or 'none'}; not met by "
            f"{', '.join(missed) or 'none'}. The 96x96 MobileNet's peak is its first expanding "
            "pointwise and stride-2 depthwise, both run in place (chained in-place buffers, "
            "docs/memory.md); FOMO's is its first convolution's input + output (docs/vision.md,"
            " \"Not done yet\").")
    text = (f"{SECTION}\n\nCommand: `{COMMAND}` (measured {date.today().isoformat()}). "
            "Classifier: RGB565 camera frames of the scikit-learn digits upscaled 12x to 96x96; "
            "FOMO: 96x96 frames of the generated detection set of tests/data/images.py; "
            "ResNet-8: the shared MLPerf Tiny int8 model behind the image block, fed 160x120 "
            "camera frames (RGB565 / YUYV) of real photographs (scikit-learn's china.jpg and "
            "flower.jpg, crops; no CIFAR-10 images in the shared data). Each goes through the "
            "frame library (`mf_cam_classify_frame` / `mf_cam_detect_frame`) on QEMU, "
            f"{FRAMES} frames per model and core, compared with the Python twin; instructions "
            "counted by the plugin, library flash/RAM from the linked firmware's map (RAM: "
            "the model's arena, the output and the tables; the frame itself is the caller's "
            "buffer). TFLM arena: measured by the tflite-micro interpreter for the same int8 "
            "model (TFLM also needs ~50-160 KB of interpreter code in flash). Short trainings "
            "for the benchmark (digits: 300 images, 10 classes, 6 epochs; FOMO: 90 training "
            "images, 20 epochs), seeded; their accuracies are those of these short runs, not "
            "of the architectures.\n\n"
            + markdown_table(header, "lllrrrrrrl", rows) + "\n\n" + goal + "\n\n"
            + "\n".join(f"- {n}" for n in notes) + "\n")
    print(text)
    if args.write_docs:
        write_section(DOC, SECTION, text)


if __name__ == "__main__":
    main()
