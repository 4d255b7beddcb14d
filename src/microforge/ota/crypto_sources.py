"""The C crypto the device verifier links, taken from package-registry sdists at build time
(never committed): Monocypher 4 (`pymonocypher` sdist: EdDSA check equation and scalar
reduction, BSD-2/CC0) and the LibTomCrypt-derived SHA-512 of Orson Peters' ed25519 (the
`ed25519-orlp` sdist, zlib licence). Each sdist is pinned by version and sha256; the files are
copied out with their licences."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from microforge.errors import ToolchainError


@dataclass(frozen=True)
class Sdist:
    name: str
    version: str
    sha256: str
    files: dict[str, str]  # path inside the sdist (after its top folder) -> file name here

    @property
    def archive(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}.tar.gz"


SDISTS = (
    Sdist("pymonocypher", "4.0.3.4",
          "5e56e3d3eb770a53e0b9f6274146663c11a11f3d0de5cd48e3be0428d1b07a4a",
          {"monocypher.c": "monocypher.c", "monocypher.h": "monocypher.h",
           "LICENSE.txt": "LICENSE-monocypher.txt"}),
    Sdist("ed25519-orlp", "0.1.3",
          "5dfa52e8f63687f028ed0e3f8e2b385bffd22a630c740be642d73a532d0137dd",
          {"src/ed25519_orlp/csrc/sha512.c": "sha512.c",
           "src/ed25519_orlp/csrc/sha512.h": "sha512.h",
           "src/ed25519_orlp/csrc/fixedint.h": "fixedint.h",
           "LICENSE": "LICENSE-sha512.txt"}),
)
C_FILES = ("monocypher.c", "sha512.c")


def cache_dir() -> Path:
    """build/ota-crypto under the working folder (MICROFORGE_OTA_CACHE to move it)."""
    return Path(os.environ.get("MICROFORGE_OTA_CACHE", "build/ota-crypto")).resolve()


def crypto_sources(cache: Path | None = None) -> Path:
    """A folder with the pinned crypto sources and licences, downloaded once into the cache."""
    folder = (cache or cache_dir()) / "src"
    if all((folder / f).is_file() for s in SDISTS for f in s.files.values()):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".src.", dir=folder.parent))
    try:
        for sdist in SDISTS:
            _extract(_download(sdist, folder.parent), sdist, tmp)
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _download(sdist: Sdist, where: Path) -> Path:
    archive = where / sdist.archive
    if not archive.is_file() or _sha256(archive) != sdist.sha256:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--no-binary", ":all:", f"{sdist.name}=={sdist.version}", "-d", str(where)]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0 or not archive.is_file():
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            raise ToolchainError(f"cannot download the {sdist.name} {sdist.version} sdist "
                                 f"(the device crypto sources): {last}; check the network")
    digest = _sha256(archive)
    if digest != sdist.sha256:
        raise ToolchainError(f"{archive}: sha256 {digest} is not the pinned {sdist.sha256}; "
                             "delete it (it will be downloaded again)")
    return archive


def _extract(archive: Path, sdist: Sdist, out: Path) -> None:
    top = f"{sdist.name.replace('-', '_')}-{sdist.version}"
    with tarfile.open(archive, "r:gz") as tar:
        for inner, name in sdist.files.items():
            member = tar.extractfile(f"{top}/{inner}")
            if member is None:
                raise ToolchainError(f"{archive}: {inner} is missing")
            (out / name).write_bytes(member.read())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_crypto_sources(out_dir: Path) -> list[str]:
    """Copy the crypto sources and their licences into a generated output folder."""
    src = crypto_sources()
    names = sorted({f for s in SDISTS for f in s.files.values()})
    for name in names:
        shutil.copy2(src / name, out_dir / name)
    return names
