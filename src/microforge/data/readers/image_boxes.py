"""Detection images: a folder of images (any depth) with their objects in either

- `bounding_boxes.labels`, the Edge Impulse bounding-box format:
  `{"version": 1, "type": "bounding-box-labels", "boundingBoxes": {"img.jpg":
  [{"label": "cup", "x": 10, "y": 20, "width": 30, "height": 40}, ...], ...}}`, or
- `boxes.csv` with the columns image,label,x,y[,width,height] (without width/height: the
  centroids themselves).

Images listed nowhere have no objects. Classes: "background" first, then the object labels
sorted (the FOMO heatmap's channels). An image's recording label is its most frequent object
label ("background" without objects), used for stratified splits. Groups as for image folders.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from microforge.data.readers.folders import Progress, require_folder, walk_files
from microforge.data.readers.images import (
    group_of,
    images_to_recordings,
    is_image,
    read_groups_file,
)
from microforge.data.recording import ImageObject, Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError

EI_LABELS = "bounding_boxes.labels"
BOXES_CSV = "boxes.csv"
BACKGROUND = "background"


def is_image_boxes(root: Path) -> bool:
    return (root / EI_LABELS).is_file() or (root / BOXES_CSV).is_file()


def read_image_boxes(spec: DatasetSpec,
                     progress: Progress | None = None) -> tuple[list[Recording], list[str]]:
    """(recordings with their objects, ["background", *object labels])."""
    root = Path(spec.path)
    require_folder(root)
    objects = _read_ei(root / EI_LABELS) if (root / EI_LABELS).is_file() else (
        _read_csv(root / BOXES_CSV) if (root / BOXES_CSV).is_file() else None)
    if objects is None:
        raise DataError(f"{root}: no {EI_LABELS} or {BOXES_CSV}; add the objects of the images")
    images = [p for p in walk_files(root).files if is_image(p)]
    if not images:
        raise DataError(f"{root}: no .jpg/.png/.bmp images beside {EI_LABELS}/{BOXES_CSV}")
    names = {p.name for p in images}
    missing = sorted(set(objects) - names)
    if missing:
        raise DataError(f"{root}: the boxes name {len(missing)} image(s) not in the folder, "
                        f"e.g. {missing[0]}; add them or remove their boxes")
    groups = read_groups_file(root)
    items = []
    for path in images:
        found = objects.get(path.name, ())
        counts = Counter(o.label for o in found)
        label = min(counts, key=lambda k: (-counts[k], k)) if counts else BACKGROUND
        items.append((path, label, group_of(path, None, groups)))
    recordings = images_to_recordings(items, progress)
    for rec in recordings:
        rec.objects = tuple(objects.get(Path(rec.source).name, ()))
        height, width = rec.signal.shape[:2]
        for o in rec.objects:
            cx, cy = o.centroid
            if not (0 <= cx <= width and 0 <= cy <= height):
                raise DataError(f"{rec.source}: object {o.label!r} at ({cx:g}, {cy:g}) is "
                                f"outside the {width}x{height} image; fix its box")
    labels = sorted({o.label for objs in objects.values() for o in objs} - {BACKGROUND})
    return recordings, [BACKGROUND, *labels]


def _read_ei(path: Path) -> dict[str, tuple[ImageObject, ...]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        boxes = data["boundingBoxes"]
        return {str(name): tuple(
            ImageObject(str(b["label"]), float(b["x"]), float(b["y"]), float(b["width"]),
                        float(b["height"])) for b in items) for name, items in boxes.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: not an Edge Impulse bounding-box file ({type(exc).__name__}: "
                        f"{exc}); it needs boundingBoxes: {{image: [{{label, x, y, width, "
                        "height}]}") from None


def _read_csv(path: Path) -> dict[str, tuple[ImageObject, ...]]:
    found: dict[str, list[ImageObject]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = set(reader.fieldnames or [])
        if not {"image", "label", "x", "y"} <= columns:
            raise DataError(f"{path}: needs the columns image,label,x,y[,width,height] (got "
                            f"{', '.join(reader.fieldnames or [])}); fix the header")
        sized = {"width", "height"} <= columns
        for line, row in enumerate(reader, start=2):
            try:
                obj = ImageObject(row["label"], float(row["x"]), float(row["y"]),
                                  float(row["width"]) if sized else 0.0,
                                  float(row["height"]) if sized else 0.0)
            except (TypeError, ValueError):
                raise DataError(f"{path}:{line}: x, y, width and height must be numbers; "
                                "fix the row") from None
            found.setdefault(Path(row["image"]).name, []).append(obj)
    return {k: tuple(v) for k, v in found.items()}
