"""FOMO heatmap -> centroids: the rule, the int8 threshold, the mapping back to camera-frame
pixels, and runtime/pipeline/mf_fomo.c == the Python on random and structured int8 heatmaps and
random crop/letterbox/stretch geometries (gcc -O2 and ASan/UBSan)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from microforge.dsp.image_ops import fit_regions
from microforge.errors import ConfigError
from microforge.library.pipeline_emit import PIPELINE_RUNTIME_DIR
from microforge.postprocess.fomo import (
    Centroid,
    FrameAxis,
    centroids,
    frame_coordinate,
    int8_threshold,
    to_frame,
)
from microforge.runners.host import gcc_compile

HARNESS = r"""
#include <stdio.h>
#include <stdlib.h>
#include "mf_fomo.h"

/* stdin: 0 rows cols classes threshold cell, then the int8 heatmap; stdout: the objects.
 * Or 1 n, then n lines "v2 src_start src_len dst_start dst_len": the frame coordinates. */
int main(void) {
    unsigned rows, cols, classes, cell, i, n, found;
    int threshold, mode;
    int8_t *heatmap;
    mf_fomo_object objects[64];
    if (scanf("%d", &mode) != 1) return 2;
    if (mode == 1) {
        if (scanf("%u", &n) != 1) return 2;
        for (i = 0; i < n; ++i) {
            int v2, s0, sl, d0, dl;
            mf_fomo_axis axis;
            if (scanf("%d %d %d %d %d", &v2, &s0, &sl, &d0, &dl) != 5) return 3;
            axis.src_start = s0; axis.src_len = sl; axis.dst_start = d0; axis.dst_len = dl;
            printf("%d\n", (int)mf_fomo_frame_coordinate(v2, &axis));
        }
        return 0;
    }
    if (scanf("%u %u %u %d %u", &rows, &cols, &classes, &threshold, &cell) != 5) return 2;
    n = rows * cols * classes;
    heatmap = (int8_t *)malloc(n);
    for (i = 0; i < n; ++i) {
        int v;
        if (scanf("%d", &v) != 1) return 3;
        heatmap[i] = (int8_t)v;
    }
    found = mf_fomo_centroids(heatmap, rows, cols, classes, (int8_t)threshold, cell, objects, 64u);
    printf("%u\n", found);
    for (i = 0; i < found && i < 64u; ++i) {
        printf("%d %d %d %d %d %d\n", (int)objects[i].label, (int)objects[i].x2,
               (int)objects[i].y2, (int)objects[i].frame_x, (int)objects[i].frame_y,
               (int)objects[i].score);
    }
    free(heatmap);
    return 0;
}
"""


@pytest.fixture(scope="module", params=["O2", "asan"])
def fomo_exe(request, tmp_path_factory):
    src = tmp_path_factory.mktemp(f"fomo_{request.param}")
    for ext in (".h", ".c"):
        shutil.copy(PIPELINE_RUNTIME_DIR / f"mf_fomo{ext}", src / f"mf_fomo{ext}")
    (src / "main.c").write_text(HARNESS)
    exe = src / "fomo"
    flags = ["-O2"] if request.param == "O2" else [
        "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    gcc_compile(src, exe, flags)
    return exe


def _c_centroids(exe, heatmap: np.ndarray, threshold: int, cell: int):
    rows, cols, classes = heatmap.shape
    text = f"0 {rows} {cols} {classes} {threshold} {cell}\n" + \
        " ".join(map(str, heatmap.ravel()))
    result = subprocess.run([str(exe)], input=text, capture_output=True, text=True, check=True)
    lines = result.stdout.split("\n")
    return [tuple(int(v) for v in line.split()) for line in lines[1:int(lines[0]) + 1]]


def test_one_object_per_blob_at_its_peak():
    heatmap = np.zeros((6, 6, 2), np.float32)
    heatmap[..., 0] = 1.0
    heatmap[1:3, 1:3, 1] = [[0.6, 0.7], [0.65, 0.9]]  # one blob, peak at (2, 2)
    heatmap[5, 5, 1] = 0.55
    heatmap[4, 0, 1] = 0.3  # below the threshold
    found = centroids(heatmap, 0.5)
    assert [(c.label, c.x, c.y) for c in found] == [(1, 20.0, 20.0), (1, 44.0, 44.0)]


def test_ties_keep_the_first_cell_in_raster_order():
    heatmap = np.zeros((3, 4, 2), np.int8)
    heatmap[1, 1:3, 1] = 100
    assert [(c.x, c.y) for c in centroids(heatmap, 50)] == [(12.0, 12.0)]


def test_int8_threshold_is_the_first_level_reaching_it():
    scale, zp = 1.0 / 256.0, -128
    q = int8_threshold(0.5, scale, zp)
    assert (q - zp) * scale >= 0.5 > (q - 1 - zp) * scale
    assert int8_threshold(0.0, scale, zp) == -128 and int8_threshold(1.0, scale, zp) == 127
    with pytest.raises(ConfigError, match="threshold must be in"):
        int8_threshold(1.5, scale, zp)


@pytest.mark.parametrize("seed", range(6))
def test_c_equals_python(fomo_exe, seed):
    rng = np.random.default_rng(seed)
    rows, cols, classes = int(rng.integers(1, 13)), int(rng.integers(1, 13)), int(rng.integers(2, 5))
    heatmap = rng.integers(-128, 128, (rows, cols, classes)).astype(np.int8)
    if seed % 2:  # coarse levels: many ties and plateaus
        heatmap = (heatmap // 64 * 64).astype(np.int8)
    threshold = int(rng.integers(-20, 100))
    expected = [(c.label, int(2 * c.x), int(2 * c.y), c.frame_x, c.frame_y, int(c.score))
                for c in centroids(heatmap, threshold, 8)][:64]
    assert _c_centroids(fomo_exe, heatmap, threshold, 8) == expected


def _random_axes(rng, n: int) -> list[tuple[int, ...]]:
    """n (v2, src_start, src_len, dst_start, dst_len): the fit of a random frame onto a random
    input (crop, letterbox, stretch), v2 = twice a cell centre or any input position."""
    rows = []
    for _ in range(n):
        src, other = int(rng.integers(8, 700)), int(rng.integers(8, 700))
        dst, dst_other = 8 * int(rng.integers(1, 25)), 8 * int(rng.integers(1, 25))
        fit = ("crop", "letterbox", "stretch")[int(rng.integers(0, 3))]
        s0, sl, d0, dl = fit_regions(src, dst, other, dst_other, fit)
        v2 = int(rng.integers(0, 2 * dst + 1))
        rows.append((v2, s0, sl, d0, dl))
    return rows


def _c_frame_coordinates(exe, rows) -> list[int]:
    text = f"1 {len(rows)}\n" + "\n".join(" ".join(map(str, r)) for r in rows)
    result = subprocess.run([str(exe)], input=text, capture_output=True, text=True, check=True)
    return [int(v) for v in result.stdout.split()]


def test_frame_coordinates_c_equals_python(fomo_exe):
    rows = _random_axes(np.random.default_rng(7), 3000)
    expected = [frame_coordinate(v2, FrameAxis(*axis)) for v2, *axis in rows]
    assert _c_frame_coordinates(fomo_exe, rows) == expected


def test_frame_coordinate_undoes_the_fit():
    """Inside the resampled region the frame pixel is the exact inverse of the block's map
    (src_start + (v - dst_start) * src_len / dst_len) rounded: within half a pixel; outside
    (letterbox padding) it is clamped to the region's edge."""
    rng = np.random.default_rng(3)
    inside = 0
    for v2, *geometry in _random_axes(rng, 3000):
        axis = FrameAxis(*geometry)
        got = frame_coordinate(v2, axis)
        assert axis.src_start <= got < axis.src_start + axis.src_len
        exact = axis.src_start + (v2 / 2 - axis.dst_start) * axis.src_len / axis.dst_len
        if axis.src_start <= exact <= axis.src_start + axis.src_len - 1:
            assert abs(got - exact) <= 0.5
            inside += 1
    assert inside > 2000
    # a 160x120 frame centre-cropped to 96x96: columns 20..139 onto 0..95
    crop = FrameAxis(*fit_regions(160, 96, 120, 96, "crop"))
    assert crop == FrameAxis(20, 120, 0, 96)
    assert frame_coordinate(2 * 4, crop) == 25 and frame_coordinate(2 * 92, crop) == 135
    # the same frame letterboxed into 96x96: rows 0..119 onto 12..83, padding clamps
    box = FrameAxis(*fit_regions(120, 96, 160, 96, "letterbox"))
    assert box == FrameAxis(0, 120, 12, 72)
    assert frame_coordinate(2 * 4, box) == 0 and frame_coordinate(2 * 92, box) == 119
    assert frame_coordinate(2 * 48, box) == 60
    moved = to_frame([Centroid(1, 4.0, 48.0, 1.0)], crop, box)[0]
    assert (moved.frame_x, moved.frame_y) == (25, 60) and (moved.x, moved.y) == (4.0, 48.0)
