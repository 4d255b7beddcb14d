"""Folder-per-label layout: `<root>/<label>/<files>`, with clear errors for every gap."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from microforge.errors import DataError

Progress = Callable[[int, int], None]


@dataclass
class LabelledFile:
    path: Path
    label: str
    group: str | None  # `<label>/<group>/file`: the subfolder; `<label>/file`: None


@dataclass
class Walk:
    """Files under a folder, symlinked folders followed once; loops reported, not followed."""

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # symlinks not followed, and why


def walk_files(folder: Path) -> Walk:
    """Every non-hidden file under `folder` (sorted), following symlinked folders; a link
    back into a folder already walked (a loop) or a broken link is skipped and named."""
    walk = Walk()
    seen: set[str] = set()
    for top, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            walk.skipped.append(f"{top}: symlink loop (already read as {real}); skipped")
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                continue
            path = Path(top) / name
            if path.is_file():
                walk.files.append(path)
            elif path.is_symlink():
                walk.skipped.append(f"{path}: broken symlink; skipped")
    walk.files.sort()
    return walk


def require_folder(root: Path) -> None:
    """DataError unless `root` is an existing, non-empty folder."""
    if not root.exists():
        raise DataError(f"{root}: no such folder; check dataset.path")
    if not root.is_dir():
        raise DataError(f"{root}: not a folder; dataset.path must be a folder of class folders")
    if not any(p for p in root.iterdir() if not p.name.startswith(".")):
        raise DataError(f"{root}: folder is empty; add one folder per class holding recordings")


def label_folders(root: Path | str, suffix: str,
                  skip: tuple[str, ...] = ()) -> list[LabelledFile]:
    """Every `<root>/<label>/**/*<suffix>` file, sorted; DataError on empty or missing parts."""
    root = Path(root)
    require_folder(root)
    folders = sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in skip
    )
    if not folders:
        loose = sorted(root.glob(f"*{suffix}"))
        hint = f" (found {len(loose)} loose {suffix} files)" if loose else ""
        raise DataError(
            f"{root}: no class folders{hint}; put the {suffix} files in one folder per label"
        )
    files: list[LabelledFile] = []
    for folder in folders:
        found = [p for p in walk_files(folder).files if p.suffix.lower() == suffix]
        if not found:
            raise DataError(
                f"{folder}: class folder '{folder.name}' has no {suffix} files; "
                "add recordings or remove the folder"
            )
        files += [LabelledFile(p, folder.name, _group(folder, p)) for p in found]
    return files


DATA_SUFFIXES = (".csv", ".wav", ".npy", ".mat")


def skipped_inputs(root: Path, suffixes: tuple[str, ...] = DATA_SUFFIXES) -> list[str]:
    """Entries under `root` named like data files that no reader can use, each with the
    reason: dangling symlinks, FIFOs / sockets / devices, folders named like files,
    unreadable files. The readers skip them; the inspector reports them."""
    import os
    import stat

    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in sorted([*dirnames, *filenames]):
            path = Path(dirpath) / name
            if name.startswith(".") or path.suffix.lower() not in suffixes:
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode) and not path.exists():
                reason = "a dangling symbolic link (its target does not exist)"
            elif path.is_dir():
                reason = f"a folder named like a {path.suffix} file"
            elif not path.is_file():
                reason = "not a regular file (a FIFO, socket or device)"
            elif not os.access(path, os.R_OK):
                reason = "not readable (check its permissions)"
            else:
                continue
            found.append(f"skipped {path}: {reason}")
    return found


def _group(label_folder: Path, path: Path) -> str | None:
    parts = path.relative_to(label_folder).parts
    return parts[0] if len(parts) > 1 else None


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
