"""The instruction-counting QEMU TCG plugin (mf_icount.c; the instruction mix with mf_insn_class.c),
built on demand with the host gcc
into a per-user cache directory keyed by a hash of its source (never into the source tree)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from microforge.atomic import atomic_write_bytes
from microforge.errors import ToolchainError

PLUGIN_DIR = Path(str(resources.files("microforge.targets") / "qemu_plugin"))
PLUGIN_SOURCES = ("mf_icount.c", "mf_insn_class.c", "mf_insn_class.h", "mf_functions.c",
                  "mf_functions.h", "mf_qemu_plugin_api.h")
# instructions of mf_measure_begin itself (one `bx lr` / `ret`), excluded from every count
MARKER_INSTRUCTIONS = 1


def cache_dir() -> Path:
    """$MICROFORGE_CACHE, else $XDG_CACHE_HOME/microforge, else ~/.cache/microforge."""
    explicit = os.environ.get("MICROFORGE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "microforge"


def _source_hash() -> str:
    digest = hashlib.sha256()
    for name in PLUGIN_SOURCES:
        digest.update((PLUGIN_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def plugin_path() -> Path:
    """The built plugin (.so); builds it when the cache has none for this source."""
    target = cache_dir() / f"mf_icount_{_source_hash()}.so"
    if target.is_file():
        return target
    gcc = shutil.which("gcc")
    if gcc is None:
        raise ToolchainError("toolchain missing: install gcc (sudo apt-get install gcc) to build "
                             "the QEMU instruction-count plugin")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_suffix(f".{os.getpid()}.tmp.so")
    cmd = [gcc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O2", "-shared", "-fPIC",
           "-fvisibility=hidden", f"-I{PLUGIN_DIR}", str(PLUGIN_DIR / "mf_icount.c"),
           str(PLUGIN_DIR / "mf_insn_class.c"), str(PLUGIN_DIR / "mf_functions.c"),
           "-o", str(scratch)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"building the QEMU plugin failed:\n{result.stderr[:4000]}")
    atomic_write_bytes(target, scratch.read_bytes())
    scratch.unlink()
    return target
