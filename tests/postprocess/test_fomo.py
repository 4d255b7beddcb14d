"""FOMO heatmap -> centroids: the rule, the int8 threshold, and runtime/pipeline/mf_fomo.c ==
the Python on random and structured int8 heatmaps (gcc -O2 and ASan/UBSan)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.library.pipeline_emit import PIPELINE_RUNTIME_DIR
from microforge.postprocess.fomo import centroids, int8_threshold
from microforge.runners.host import gcc_compile

HARNESS = r"""
#include <stdio.h>
#include <stdlib.h>
#include "mf_fomo.h"

/* stdin: rows cols classes threshold cell, then the int8 heatmap; stdout: the objects */
int main(void) {
    unsigned rows, cols, classes, cell, i, n, found;
    int threshold;
    int8_t *heatmap;
    mf_fomo_object objects[64];
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
        printf("%d %d %d %d\n", (int)objects[i].label, (int)objects[i].x2, (int)objects[i].y2,
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
    text = f"{rows} {cols} {classes} {threshold} {cell}\n" + " ".join(map(str, heatmap.ravel()))
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
    expected = [(c.label, int(2 * c.x), int(2 * c.y), int(c.score))
                for c in centroids(heatmap, threshold, 8)][:64]
    assert _c_centroids(fomo_exe, heatmap, threshold, 8) == expected
