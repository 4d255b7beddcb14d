"""Signing keys as files: `signing.key` (Ed25519 private, PKCS#8 PEM, mode 0600, never
printed) and `signing.pub` (SubjectPublicKeyInfo PEM), through imgtool's key classes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from microforge.ota.errors import BundleError

PRIVATE_NAME = "signing.key"
PUBLIC_NAME = "signing.pub"


def generate_keys(out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair into out_dir; never overwrites an existing key."""
    from imgtool import keys

    out = Path(out_dir)
    private, public = out / PRIVATE_NAME, out / PUBLIC_NAME
    for path in (private, public):
        if path.exists():
            raise BundleError(f"{path}: a key is already there; choose another folder (a "
                              "signing key is never overwritten)")
    out.mkdir(parents=True, exist_ok=True)
    key = keys.Ed25519.generate()
    tmp = out / f".{PRIVATE_NAME}.{os.getpid()}.tmp"
    # created 0600 before any byte is written: the private key is never readable by others
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        key.export_private(str(tmp))
        os.chmod(tmp, 0o600)
        tmp_pub = out / f".{PUBLIC_NAME}.{os.getpid()}.tmp"
        key.export_public(str(tmp_pub))
        os.replace(tmp, private)
        os.replace(tmp_pub, public)
    except BaseException:
        for leftover in out.glob(f".signing.*.{os.getpid()}.tmp"):
            leftover.unlink()
        raise
    return private, public


def load_private_key(path: str | os.PathLike[str]):
    """imgtool's Ed25519 private key from `path`; refuses a key others can read."""
    from imgtool import keys

    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such key file (microforge keys generate -o DIR writes one)")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise BundleError(f"{path}: the private key is readable by others (mode {mode:o}); "
                          f"run chmod 600 {path}")
    key = _load(path, keys)
    if not isinstance(key, keys.Ed25519):
        raise BundleError(f"{path}: not an Ed25519 private key (microforge keys generate "
                          "writes one)")
    return key


def load_public_key(path: str | os.PathLike[str]):
    """imgtool's Ed25519 public key from a .pub (or the public half of a .key)."""
    from imgtool import keys

    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such public key file")
    key = _load(path, keys)
    if not isinstance(key, keys.Ed25519Public):
        raise BundleError(f"{path}: not an Ed25519 key")
    return key


def raw_public_key(key) -> bytes:
    """The 32 raw bytes of an Ed25519 public key (what the device's key list holds)."""
    from cryptography.hazmat.primitives import serialization

    return key._get_public().public_bytes(encoding=serialization.Encoding.Raw,
                                          format=serialization.PublicFormat.Raw)


def _load(path: Path, keys):
    try:
        key = keys.load(str(path))
    except Exception as exc:  # noqa: BLE001 - cryptography's errors are of many types
        raise BundleError(f"{path}: not a PEM key file ({type(exc).__name__})") from None
    if key is None:
        raise BundleError(f"{path}: the key is password-protected; microforge keys are not")
    return key
