"""`inspect_images(spec)`: what is in an image dataset (sizes, channels, classes, objects,
groups, problems) and a contact sheet: a PNG grid of a few images of every class."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec

IMAGE_FORMATS = ("images", "image_boxes")
SHEET_PER_CLASS = 8
SHEET_CELL = 64
IMBALANCE_RATIO = 10.0


@dataclass
class ImageClassSummary:
    name: str
    images: int
    groups: int
    objects: int  # detection: objects of this label (0 for classification)


@dataclass
class ImageInspectReport:
    path: str
    format: str
    classes: list[ImageClassSummary]
    images: int
    groups: int
    sizes: dict[str, int]  # "WxH" -> images, as in the files
    channels: tuple[str, ...]
    problems: list[str] = field(default_factory=list)
    class_groups: dict[str, dict[str, int]] = field(default_factory=dict)
    contact_sheet: str | None = None  # the PNG written


def inspect_images(spec: DatasetSpec, sheet: Path | None = None) -> ImageInspectReport:
    """Read the images as they are (sizes not harmonised) and summarise them; write the
    contact sheet to `sheet` when given."""
    from microforge.data.load import read_recordings

    fmt, recordings, classes, notes = read_recordings(spec)
    problems = list(notes)
    sizes = Counter(f"{r.signal.shape[1]}x{r.signal.shape[0]}" for r in recordings)
    if len(sizes) > 1:
        common = max(sizes, key=lambda s: sizes[s])
        problems.append(f"mixed image sizes ({', '.join(f'{n} at {s}' for s, n in sizes.items())}"
                        f"); the others will be resized to {common}, the most common")
    summaries = []
    class_groups: dict[str, dict[str, int]] = {c: {} for c in classes}
    for name in classes:
        members = [r for r in recordings if r.label == name]
        n_objects = sum(1 for r in recordings for o in (r.objects or ()) if o.label == name)
        summaries.append(ImageClassSummary(name, len(members), len({r.group for r in members}),
                                           n_objects))
    for r in recordings:
        class_groups[r.label][r.group] = class_groups[r.label].get(r.group, 0) + 1
    present = [c for c in summaries if c.images]
    if present:
        big, small = max(present, key=lambda c: c.images), min(present, key=lambda c: c.images)
        if small.images * IMBALANCE_RATIO < big.images:
            problems.append(f"class imbalance: {big.name} has {big.images / small.images:.0f}x "
                            f"the images of {small.name} (collect more or use class weights)")
    for c in present:
        if c.groups < 2:
            problems.append(f"class {c.name} comes from a single group; it cannot be in both "
                            "train and test (name files <group>_... or add groups.csv)")
    report = ImageInspectReport(
        path=str(spec.path), format=fmt, classes=summaries, images=len(recordings),
        groups=len({r.group for r in recordings}), sizes=dict(sizes),
        channels=recordings[0].channel_names, problems=problems, class_groups=class_groups)
    if sheet is not None:
        write_contact_sheet(recordings, classes, Path(sheet))
        report.contact_sheet = str(sheet)
    return report


def write_contact_sheet(recordings: list[Recording], classes: list[str], path: Path,
                        per_class: int = SHEET_PER_CLASS, cell: int = SHEET_CELL) -> None:
    """One row per class: its first `per_class` images, each fitted in a `cell` square (objects'
    boxes and centroids drawn in red), the class name on the left."""
    from PIL import Image, ImageDraw

    from microforge.atomic import atomic_write_bytes

    label_w = 8 * max(len(c) for c in classes) + 8
    sheet = Image.new("RGB", (label_w + per_class * cell, len(classes) * cell), "white")
    draw = ImageDraw.Draw(sheet)
    for row, name in enumerate(classes):
        draw.text((4, row * cell + cell // 2 - 5), name, fill="black")
        members = [r for r in recordings if r.label == name][:per_class]
        for col, rec in enumerate(members):
            pixels = np.clip(rec.signal, 0, 255).astype(np.uint8)
            image = Image.fromarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels)
            image = image.convert("RGB")
            scale = cell / max(image.size)
            size = (max(1, round(image.size[0] * scale)), max(1, round(image.size[1] * scale)))
            image = image.resize(size, Image.Resampling.NEAREST)
            box = ImageDraw.Draw(image)
            for o in rec.objects or ():
                cx, cy = o.centroid
                if o.width and o.height:
                    box.rectangle([o.x * scale, o.y * scale, (o.x + o.width) * scale,
                                   (o.y + o.height) * scale], outline="red")
                box.ellipse([cx * scale - 2, cy * scale - 2, cx * scale + 2, cy * scale + 2],
                            fill="red")
            sheet.paste(image, (label_w + col * cell, row * cell))
    import io

    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    atomic_write_bytes(path, buffer.getvalue())
