"""FOMO heatmap -> centroids (the Python twin of runtime/pipeline/mf_fomo.c).

The heatmap is (grid height, grid width, classes) with class 0 the background. An object of
class k >= 1 is a cell whose score for k reaches the threshold and is a local maximum of
that class' scores over its 3x3 neighbourhood: no neighbour scores higher, and no neighbour
earlier in raster order scores the same (ties keep the first). Its centroid is the cell's
centre, in input pixels: ((col + 0.5) * cell, (row + 0.5) * cell).

On the int8 output the rule compares the int8 scores and a threshold rounded up to the int8
grid (`int8_threshold`), so C and Python decide on the same integers.

`to_frame` maps the centroids back to the camera frame's pixels (`frame_x`, `frame_y`): the
image block's crop / letterbox / stretch and resize undone, in integers as mf_fomo_to_frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from microforge.errors import ConfigError


@dataclass(frozen=True)
class Centroid:
    label: int  # class index (>= 1; 0 is the background)
    x: float  # input pixels
    y: float
    score: float  # the cell's score (float, or the int8 value for int8 heatmaps)
    frame_x: int = -1  # the camera frame's pixels (to_frame); centroids(): x rounded half up
    frame_y: int = -1


@dataclass(frozen=True)
class FrameAxis:
    """One axis of the image block's fit (dsp.image_ops.fit_regions): the frame's pixels
    [src_start, src_start + src_len) resampled onto the input's [dst_start, + dst_len)."""

    src_start: int
    src_len: int
    dst_start: int
    dst_len: int


def frame_coordinate(v2: int, axis: FrameAxis) -> int:
    """Twice an input coordinate -> the frame pixel: src_start + round half up of
    (v2 / 2 - dst_start) * src_len / dst_len, clamped into the source region (a centroid in
    letterbox padding goes to the edge). Integer arithmetic, as mf_fomo_frame_coordinate."""
    offset2 = int(v2) - 2 * axis.dst_start
    if offset2 <= 0 or axis.dst_len <= 0:
        return axis.src_start
    offset = (offset2 * axis.src_len + axis.dst_len) // (2 * axis.dst_len)
    return axis.src_start + min(offset, axis.src_len - 1)


def to_frame(found: Sequence[Centroid], x_axis: FrameAxis, y_axis: FrameAxis
             ) -> list[Centroid]:
    """The centroids with frame_x / frame_y in the camera frame's pixels."""
    return [replace(c, frame_x=frame_coordinate(round(2 * c.x), x_axis),
                    frame_y=frame_coordinate(round(2 * c.y), y_axis)) for c in found]


def int8_threshold(threshold: float, scale: float, zero_point: int) -> int:
    """The smallest int8 q with (q - zero_point) * scale >= threshold, clamped to int8."""
    if not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"fomo threshold must be in [0, 1] (got {threshold})")
    q = math.ceil(threshold / scale + zero_point - 1e-9)
    while q > -128 and (q - 1 - zero_point) * scale >= threshold:
        q -= 1
    while q <= 127 and (q - zero_point) * scale < threshold:
        q += 1
    return int(min(max(q, -128), 127))


def centroids(heatmap: np.ndarray, threshold: float | int, cell: int = 8) -> list[Centroid]:
    """Objects of one heatmap (float scores with a float threshold, or int8 with an int8 one),
    in raster order of their cells, classes in order within a cell."""
    h, w, k = heatmap.shape
    scores = np.asarray(heatmap)
    found = []
    for row in range(h):
        for col in range(w):
            for label in range(1, k):
                value = scores[row, col, label]
                if value < threshold or not _is_peak(scores[:, :, label], row, col):
                    continue
                x2, y2 = (2 * col + 1) * cell, (2 * row + 1) * cell
                found.append(Centroid(label, x2 / 2, y2 / 2, float(value), (x2 + 1) // 2,
                                      (y2 + 1) // 2))
    return found


def _is_peak(plane: np.ndarray, row: int, col: int) -> bool:
    value = plane[row, col]
    h, w = plane.shape
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            y, x = row + dy, col + dx
            if (dy == 0 and dx == 0) or not (0 <= y < h and 0 <= x < w):
                continue
            other = plane[y, x]
            if other > value or (other == value and (dy, dx) < (0, 0)):
                return False
    return True
