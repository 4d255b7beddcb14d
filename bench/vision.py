"""Vision on the emulated Cortex-M7 and M4: the frame library (camera frame -> image block ->
int8 model -> label / FOMO centroids) at 96x96 grayscale and RGB, RAM/flash/instructions per
frame beside the TFLM arena of the same model; the FOMO detector's centroid F1 (int8, TFLM) on
a generated set and the classifier's int8 accuracy on real digits.

    PYTHONPATH=. .venv/bin/python -m bench.vision [--write-docs]
"""

from __future__ import annotations

import argparse
import tempfile
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="bench_vision_") as tmp:
        work = Path(tmp)
        for kind, make in (("MobileNet 0.25 classifier", _digits), ("FOMO detector", _fomo)):
            for color in ("grayscale", "rgb"):
                block, int8, labels, frames, note = make(work, color)
                notes.append(f"{kind}, {color}: {note}")
                arena = tflm_arena_size(int8).total
                lib = compile_frame_pipeline(block, int8, labels, work / "lib", name="cam",
                                             detector=kind.startswith("FOMO"))
                twin = FramePipeline(block, int8, labels, detector=kind.startswith("FOMO"))
                for core, board in BOARDS.items():
                    run = run_frames_on_mcu(lib, board, frames)
                    if lib.constants.detector:
                        same = run.results == [[(o.label, o.x, o.y, int(o.score))
                                                for o in twin.detect(f)] for f in frames]
                    else:
                        same = run.results == [twin.classify(f) for f in frames]
                    rows.append([kind, color, core, f"{np.mean(run.dsp_instructions):,.0f}",
                                 f"{np.mean(run.network_instructions):,.0f}",
                                 f"{run.image.library_flash_bytes:,}",
                                 f"{run.image.library_ram_bytes:,}", f"{arena:,}",
                                 f"{run.image.library_ram_bytes / arena:.2f}",
                                 "yes" if same else "NO"])
                    print(rows[-1], flush=True)
    header = ["model", "colour", "core", "image block instr./frame", "model instr./frame",
              "library flash B", "library RAM B", "TFLM arena B", "RAM / arena", "C == Python"]
    text = (f"{SECTION}\n\nCommand: `{COMMAND}`. 96x96 frames (classifier: RGB565 camera frames of the "
            "scikit-learn digits upscaled 12x; FOMO: frames of the generated detection set of "
            "tests/data/images.py, 96x96), through the frame library "
            "(`mf_cam_classify_frame` / `mf_cam_detect_frame`), on QEMU; instructions "
            "counted by the plugin, library flash/RAM from the linked firmware's map (RAM: "
            "the model's arena, the output and the tables; the frame itself is the caller's "
            "buffer). TFLM arena: measured by the tflite-micro interpreter for the same int8 "
            "model (TFLM also needs ~50-160 KB of interpreter code in flash).\n\n"
            + markdown_table(header, "lllrrrrrrl", rows) + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n")
    print(text)
    if args.write_docs:
        write_section(DOC, SECTION, text)


if __name__ == "__main__":
    main()
