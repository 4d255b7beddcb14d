"""One frame size per image dataset: images of another size are resized (bilinear, Pillow) to
the most common one, their objects scaled with them, and a note says how many."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from microforge.data.recording import ImageObject, Recording


def is_image_recording(recording: Recording) -> bool:
    return recording.signal.ndim == 3


def common_frame_size(recordings: list[Recording]) -> tuple[list[Recording], list[str]]:
    """(recordings all of the most common (height, width), notes)."""
    sizes = Counter(r.signal.shape[:2] for r in recordings)
    target = max(sizes, key=lambda s: (sizes[s], s))
    odd = [r for r in recordings if r.signal.shape[:2] != target]
    if not odd:
        return recordings, []
    out = [r if r.signal.shape[:2] == target else _resized(r, target) for r in recordings]
    other = ", ".join(f"{w}x{h}" for h, w in sorted(set(sizes) - {target}))
    return out, [f"{len(odd)} of {len(recordings)} images resized to {target[1]}x{target[0]} "
                 f"(the most common size) from {other}, e.g. {odd[0].source}"]


def _resized(r: Recording, size: tuple[int, int]) -> Recording:
    from PIL import Image

    height, width = size
    pixels = np.clip(np.round(r.signal), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels)
    resized = np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), np.float32)
    if resized.ndim == 2:
        resized = resized[:, :, None]
    objects = r.objects
    if objects is not None:
        sx, sy = width / r.signal.shape[1], height / r.signal.shape[0]
        objects = tuple(ImageObject(o.label, o.x * sx, o.y * sy, o.width * sx, o.height * sy)
                        for o in objects)
    return replace(r, signal=resized, objects=objects)
