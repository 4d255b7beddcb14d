"""Image files (JPG, PNG, BMP) as recordings: `<label>/**/<image>` (classification) or a folder
of images with a box/centroid file (detection, data/readers/image_boxes.py).

An image is a Recording whose signal is float32 (height, width, channels) holding 0..255;
sample_rate is 1 (one frame). Every image of a dataset gets the same channels: grayscale when
all files are grayscale, else RGB (grayscale files replicated). Groups (never split across train
and test): a `groups.csv` (image,group) in the dataset folder, else the sub-folder under the
label (`<label>/<group>/img.png`), else the file-name prefix before the first `_` or `-`
(`scene3_0001.jpg` -> `scene3`), else the file stem.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from microforge.data.readers.folders import Progress, report, require_folder, walk_files
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")
GROUPS_FILE = "groups.csv"
RGB = ("red", "green", "blue")
GRAY = ("gray",)
_PREFIX = re.compile(r"^([^_\-]+)[_\-]")


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def open_image(path: Path) -> tuple[np.ndarray, bool]:
    """(uint8 (h, w, 3 or 1) pixels, was grayscale) of an image file; DataError when unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            gray = image.mode in ("1", "L", "I", "I;16", "F", "LA")
            converted = image.convert("L" if gray else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DataError(f"{path}: not a readable image ({exc}); re-save it as PNG/JPG/BMP or "
                        "remove it") from None
    pixels = np.asarray(converted, dtype=np.uint8)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if pixels.shape[0] == 0 or pixels.shape[1] == 0:
        raise DataError(f"{path}: image has no pixels; remove it")
    return pixels, gray


def group_of(path: Path, subfolder: str | None, groups: dict[str, str]) -> str:
    """The group of an image (see the module docstring for the order of the rules)."""
    if path.name in groups:
        return groups[path.name]
    if subfolder is not None:
        return subfolder
    match = _PREFIX.match(path.stem)
    return match.group(1) if match else path.stem


def read_groups_file(root: Path) -> dict[str, str]:
    """image file name -> group from `<root>/groups.csv` (columns image,group), if present."""
    path = root / GROUPS_FILE
    if not path.is_file():
        return {}
    groups: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or not {"image", "group"} <= set(reader.fieldnames):
            raise DataError(f"{path}: needs the columns image,group (got "
                            f"{', '.join(reader.fieldnames or [])}); fix the header")
        for row in reader:
            groups[Path(row["image"]).name] = row["group"]
    return groups


def images_to_recordings(items: Iterable[tuple[Path, str, str]],
                         progress: Progress | None = None) -> list[Recording]:
    """(path, label, group) -> recordings with a common channel layout (gray only when every
    image is grayscale)."""
    items = list(items)
    loaded = []
    for i, (path, label, group) in enumerate(items):
        pixels, gray = open_image(path)
        loaded.append((pixels, gray, path, label, group))
        report(progress, i + 1, len(items))
    all_gray = all(gray for _, gray, *_ in loaded)
    recordings = []
    for pixels, _, path, label, group in loaded:
        if not all_gray and pixels.shape[2] == 1:
            pixels = np.repeat(pixels, 3, axis=2)
        recordings.append(Recording(pixels.astype(np.float32), 1.0, label, group, str(path),
                                    GRAY if all_gray else RGB))
    return recordings


def read_image_folder(spec: DatasetSpec, progress: Progress | None = None) -> list[Recording]:
    """Every image under `<path>/<label>/` as one recording of that label."""
    root = Path(spec.path)
    require_folder(root)
    groups = read_groups_file(root)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise DataError(f"{root}: no class folders; put the images in one folder per label")
    items = []
    for folder in folders:
        found = [p for p in walk_files(folder).files if is_image(p)]
        if not found:
            raise DataError(f"{folder}: class folder '{folder.name}' has no .jpg/.png/.bmp "
                            "images; add images or remove the folder")
        for path in found:
            parts = path.relative_to(folder).parts
            sub = parts[0] if len(parts) > 1 else None
            items.append((path, folder.name, group_of(path, sub, groups)))
    return images_to_recordings(items, progress)
