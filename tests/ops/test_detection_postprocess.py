"""TFLite_Detection_PostProcess against TFLM: fast and regular NMS, with and without a
background class, many boxes (the merge sort), tied scores (the order), no detection at all,
invalid decoded boxes (TFLM fails; invoke returns the kernel's status), the scratch size, and
the options refused with one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ModelError, UnsupportedOpError
from microforge.ops.kernel_structs import KERNELS_DIR, designated
from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm, tflm_interpreter
from tests.ops.signal_build import Spec, const, signal_model

OP = "TFLite_Detection_PostProcess"


def _anchors(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.stack([rng.uniform(0.1, 0.9, n), rng.uniform(0.1, 0.9, n),
                     rng.uniform(0.05, 0.3, n), rng.uniform(0.05, 0.3, n)], 1).astype(np.float32)


def _model(n: int = 40, with_background: int = 4, num_classes: int = 3, max_detections: int = 6,
           seed: int = 0, **options: object) -> bytes:
    opts = dict(max_detections=max_detections, max_classes_per_detection=1,
                detections_per_class=4, use_regular_nms=False, nms_score_threshold=0.3,
                nms_iou_threshold=0.5, num_classes=num_classes, y_scale=10.0, x_scale=10.0,
                h_scale=5.0, w_scale=5.0)
    opts.update(options)
    out = max_detections + 2
    return signal_model(OP, [Spec((1, n, 4), "float32"), Spec((1, n, with_background), "float32"),
                             const(_anchors(np.random.default_rng(seed), n), "float32")],
                        [Spec((1, out, 4), "float32"), Spec((1, out), "float32"),
                         Spec((1, out), "float32"), Spec((1,), "float32")], opts)


def _compare(model: bytes, tmp: Path, samples: int = 12, seed: int = 3,
             quantize_scores: bool = False) -> list[int]:
    """Both on random inputs; the first `count` detections bit-identical; returns the counts."""
    compiled = compile_and_load(model, tmp, "det")
    interpreter = tflm_interpreter(model)
    rng = np.random.default_rng(seed)
    n, classes = compiled.info.inputs[1].shape[1], compiled.info.inputs[1].shape[2]
    counts = []
    for _ in range(samples):
        boxes = (rng.normal(size=(1, n, 4)) * 0.8).astype(np.float32)
        scores = rng.uniform(size=(1, n, classes)).astype(np.float32)
        if quantize_scores:  # many equal scores: the order of ties matters
            scores = (np.round(scores * 8) / 8).astype(np.float32)
        reference = run_tflm(model, [boxes, scores], interpreter)
        ours = compiled.run([boxes, scores])
        count = int(reference[3][0])
        assert ours[3][0] == reference[3][0]
        for k in range(3):
            np.testing.assert_array_equal(ours[k][0, :count], reference[k][0, :count])
            assert not ours[k][0, count:].any()  # zeros after the detections
        counts.append(count)
    return counts


@pytest.mark.parametrize("regular", [False, True], ids=["fast", "regular"])
@pytest.mark.parametrize("with_background", [4, 3], ids=["background", "no_background"])
def test_matches_tflm(tflm, tmp_path, regular: bool, with_background: int) -> None:
    counts = _compare(_model(with_background=with_background, use_regular_nms=regular), tmp_path)
    assert max(counts) > 0


def test_many_boxes_and_tied_scores_keep_tflms_order(tflm, tmp_path) -> None:
    for regular in (False, True):
        model = _model(n=300, max_detections=10, use_regular_nms=regular,
                       nms_score_threshold=0.2, seed=4)
        counts = _compare(model, tmp_path / str(regular), samples=6, quantize_scores=True)
        assert max(counts) == 10


def test_no_box_above_the_threshold_gives_no_detection(tflm, tmp_path) -> None:
    assert _compare(_model(nms_score_threshold=1.5), tmp_path, samples=3) == [0, 0, 0]


def test_invalid_decoded_boxes_fail_invoke_as_in_tflm(tflm, tmp_path) -> None:
    model = _model(n=8)
    compiled = compile_and_load(model, tmp_path, "det")
    boxes = np.zeros((1, 8, 4), np.float32)
    boxes[0, 3, 2] = -900.0  # exp(-180) underflows: a box of height 0
    scores = np.full((1, 8, 4), 0.9, np.float32)
    with pytest.raises(RuntimeError, match="invoke returned 16"):
        compiled.run([boxes, scores])
    with pytest.raises(Exception):  # noqa: B017 - TFLM's interpreter raises its own error
        run_tflm(model, [boxes, scores])


def test_scratch_size_of_python_and_c_agree(tmp_path) -> None:
    from microforge.ir.tflite_reader import read_tflite
    from microforge.ops.base import get_op

    lines = ['#include <stdio.h>', '#include "detection_postprocess.h"', "int main(void) {"]
    expected = []
    for n, md, dpc in [(40, 6, 4), (300, 10, 100), (1, 0, 1)]:
        graph = read_tflite(_model(n=n, max_detections=md, detections_per_class=dpc))
        params = get_op(graph.operators[0].op_type).prepare(graph.operators[0], graph)
        expected.append(params.scratch_bytes)
        fields = {f: getattr(params, f) for f in (
            "num_boxes", "box_stride", "num_classes", "num_classes_with_background",
            "max_detections", "detections_per_class", "use_regular_nms", "outputs",
            "score_threshold", "iou_threshold", "y_scale", "x_scale", "h_scale", "w_scale")}
        init = designated("mf_detection_postprocess_params", fields)
        lines.append(f"    {{ static const mf_detection_postprocess_params p = {init}; "
                     f'printf("%ld\\n", (long)mf_detection_postprocess_scratch_bytes(&p)); }}')
    (tmp_path / "main.c").write_text("\n".join([*lines, "    return 0;", "}"]) + "\n")
    subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", f"-I{KERNELS_DIR}",
                    str(tmp_path / "main.c"), str(KERNELS_DIR / "detection_postprocess.c"),
                    "-lm", "-o", str(tmp_path / "size")], check=True)
    out = subprocess.run([str(tmp_path / "size")], check=True, capture_output=True, text=True)
    assert [int(v) for v in out.stdout.split()] == expected


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"max_classes_per_detection": 2}, UnsupportedOpError, "max_classes_per_detection 2"),
    ({"nms_iou_threshold": 1.5}, ModelError, "'nms_iou_threshold' is 1.5"),
    ({"num_classes": 1}, ModelError, "4 scores per box for num_classes 1"),
    ({"y_scale": "big"}, ModelError, "'y_scale' is 'big'; it must be a number"),
])
def test_bad_options_are_refused_with_one_line(tmp_path, options: dict[str, object],
                                               error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as raised:
        compile_and_load(_model(**options), tmp_path, "det")
    assert "\n" not in str(raised.value)


def test_sanitizers_are_clean(tflm, tmp_path) -> None:
    model = compile_and_load(_model(n=60, use_regular_nms=True), tmp_path, "det")
    rng = np.random.default_rng(8)
    checked = model.sanitized()
    for _ in range(2):
        sample = [(rng.normal(size=(1, 60, 4)) * 0.8).astype(np.float32),
                  rng.uniform(size=(1, 60, 4)).astype(np.float32)]
        for a, b in zip(checked.run(sample), model.run(sample), strict=True):
            np.testing.assert_array_equal(a, b)
