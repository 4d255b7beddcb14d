"""`microforge bundle`: a model signed into an MCUboot image with imgtool.

Ed25519 over the SHA-512 of header + payload + protected TLVs (imgtool `--sha 512`), the
key named by its SHA-512 key hash, a security counter, vendor/class UUIDs and microforge's
protected TLVs (GRAPH_ABI_HASH, model UUID, canary vectors). The payload is the .tflite or
(payload="blob") the model blob of the compiler's blob mode: only the trained values, for
firmware compiled with `--weights blob` from a model of the same architecture."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from microforge.atomic import atomic_write_bytes
from microforge.ota.canary import Canary, model_canary
from microforge.ota.errors import BundleError
from microforge.ota.keys import load_private_key
from microforge.ota.layout import TLV_ABI_HASH, TLV_CANARY, TLV_MODEL_UUID

DEFAULT_VENDOR = "microforge.dev"
DEFAULT_CLASS = "model"
MAX_COUNTER = 0xFFFFFFFF
PAYLOADS = ("tflite", "blob")


@dataclass(frozen=True)
class BundleResult:
    path: Path
    size: int
    payload_size: int
    overhead: int  # bytes beyond the payload: header + TLVs
    version: str
    counter: int
    abi_hash: bytes
    model_uuid: uuid.UUID
    canaries: int
    payload: str = "tflite"  # or "blob"


def vendor_uuid(vendor: str) -> uuid.UUID:
    """The vendor UUID as imgtool derives it (uuid5 in the DNS namespace, or a UUID)."""
    try:
        return uuid.UUID(vendor)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_DNS, vendor)


def class_uuid(vendor: str, model_class: str) -> uuid.UUID:
    try:
        return uuid.UUID(model_class)
    except ValueError:
        return uuid.uuid5(vendor_uuid(vendor), model_class)


def make_bundle(model_path: str | os.PathLike[str], key_path: str | os.PathLike[str],
                version: str, counter: int, out: str | os.PathLike[str], *,
                vendor: str = DEFAULT_VENDOR, model_class: str = DEFAULT_CLASS,
                canaries: int = 2, model_uuid: uuid.UUID | None = None,
                payload: str = "tflite") -> BundleResult:
    """Sign the int8 .tflite at model_path, or (payload="blob") its model blob, into the
    bundle `out` (written whole or not at all)."""
    from imgtool import image
    from imgtool.version import decode_version

    from microforge.ota.abi import compile_blob

    model_path = Path(model_path)
    if not model_path.is_file():
        raise BundleError(f"{model_path}: no such model file")
    if not 0 <= counter <= MAX_COUNTER:
        raise BundleError(f"--counter {counter}: must be 0..{MAX_COUNTER}")
    if payload not in PAYLOADS:
        raise BundleError(f"--payload {payload!r}: must be one of {', '.join(PAYLOADS)}")
    if not 0 <= canaries <= 64:
        raise BundleError(f"--canaries {canaries}: must be 0..64")
    try:
        ver = decode_version(version)
    except Exception:  # noqa: BLE001 - imgtool raises click errors and ValueError
        raise BundleError(f"--version {version!r}: not MAJOR.MINOR.REVISION[+BUILD]") from None
    if ver.major > 255 or ver.minor > 255 or ver.revision > 0xFFFF or ver.build > 0xFFFFFFFF:
        raise BundleError(f"--version {version!r}: fields are u8.u8.u16+u32")
    key = load_private_key(key_path)
    compiled = compile_blob(model_path)  # reads and checks the model; errors name the file
    abi, blob = compiled.abi_hash, compiled.blob
    assert abi is not None and blob is not None
    model = model_path.read_bytes()
    content = model if payload == "tflite" else blob
    canary = model_canary(model, canaries) if canaries else Canary([], [])
    ident = model_uuid or uuid.uuid4()
    custom = {TLV_ABI_HASH: abi, TLV_MODEL_UUID: ident.bytes}
    if canaries:
        custom[TLV_CANARY] = canary.encode()
    img = image.Image(version=ver, header_size=image.IMAGE_HEADER_SIZE, pad_header=True,
                      security_counter=counter, vid=vendor, cid=model_class)
    with tempfile.TemporaryDirectory(prefix="mf_bundle_") as tmp:
        source = Path(tmp) / "payload.bin"
        source.write_bytes(content)
        img.load(str(source))
        with contextlib.redirect_stdout(io.StringIO()):  # imgtool prints progress notes
            img.create(key, "hash", None, custom_tlvs=custom, user_sha="512")
        tmp_out = Path(tmp) / "bundle.bin"
        img.save(str(tmp_out))
        data = tmp_out.read_bytes()
    atomic_write_bytes(Path(out), data)
    return BundleResult(Path(out), len(data), len(content), len(data) - len(content),
                        f"{ver.major}.{ver.minor}.{ver.revision}+{ver.build or 0}", counter,
                        abi, ident, canaries, payload)
