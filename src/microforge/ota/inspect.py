"""`microforge bundle inspect | verify`: a bundle's fields, and its signature checked with
imgtool (the same checks the device makes, in Python)."""

from __future__ import annotations

import hashlib
import os
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path

from microforge.ota.canary import decode_canary
from microforge.ota.errors import BundleError
from microforge.ota.layout import (
    TLV_ABI_HASH,
    TLV_CANARY,
    TLV_ED25519,
    TLV_KEYHASH,
    TLV_MODEL_UUID,
    TLV_SEC_CNT,
    TLV_SHA512,
    TLV_UUID_CID,
    TLV_UUID_VID,
    Bundle,
    parse_bundle,
)

REQUIRED_PROTECTED = (TLV_SEC_CNT, TLV_UUID_VID, TLV_UUID_CID, TLV_ABI_HASH, TLV_MODEL_UUID)
REQUIRED_UNPROTECTED = (TLV_SHA512, TLV_KEYHASH, TLV_ED25519)


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    size: int
    version: str
    counter: int
    payload_size: int
    overhead: int
    vendor: uuid.UUID
    model_class: uuid.UUID
    model_uuid: uuid.UUID
    abi_hash: bytes
    canaries: int
    key_hash: bytes
    sha512: bytes
    tlvs: list[tuple[str, str, int]]  # (area, name, length)
    payload: str = "tflite"  # "blob": a model blob (codegen/blob.py), by its magic


def payload_kind(payload: bytes) -> str:
    """"blob" for a model blob (MFWB magic), else "tflite"."""
    from microforge.codegen.blob import BLOB_MAGIC

    return "blob" if payload[:4] == BLOB_MAGIC else "tflite"


def read_bundle(path: str | os.PathLike[str]) -> tuple[Bundle, bytes]:
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle file")
    data = path.read_bytes()
    return parse_bundle(data, str(path)), data


def summarize(path: str | os.PathLike[str]) -> BundleSummary:
    """The fields of a bundle, every required TLV present exactly once (not verified)."""
    bundle, data = read_bundle(path)
    label = str(path)
    for area, required, name in ((bundle.protected, REQUIRED_PROTECTED, "protected"),
                                 (bundle.unprotected, REQUIRED_UNPROTECTED, "unprotected")):
        for tlv_type in required:
            count = sum(1 for t in area if t.type == tlv_type)
            if count != 1:
                from microforge.ota.layout import TLV_NAMES

                raise BundleError(f"{label}: {count} {TLV_NAMES[tlv_type]} TLVs in the {name} "
                                  "area, expected exactly 1")

    def value(area, tlv_type: int) -> bytes:
        tlv = bundle.one(area, tlv_type)
        assert tlv is not None
        return tlv.value

    counter_bytes = value(bundle.protected, TLV_SEC_CNT)
    if len(counter_bytes) != 4:
        raise BundleError(f"{label}: SEC_CNT TLV is {len(counter_bytes)} B, expected 4")
    canary = bundle.one(bundle.protected, TLV_CANARY)
    tlvs = [("protected", t.name, len(t.value)) for t in bundle.protected]
    tlvs += [("unprotected", t.name, len(t.value)) for t in bundle.unprotected]
    return BundleSummary(
        path=Path(path), size=len(data), version=bundle.version_text,
        counter=struct.unpack("<I", counter_bytes)[0], payload_size=len(bundle.payload),
        overhead=len(data) - len(bundle.payload),
        vendor=uuid.UUID(bytes=value(bundle.protected, TLV_UUID_VID)),
        model_class=uuid.UUID(bytes=value(bundle.protected, TLV_UUID_CID)),
        model_uuid=uuid.UUID(bytes=value(bundle.protected, TLV_MODEL_UUID)),
        abi_hash=value(bundle.protected, TLV_ABI_HASH),
        canaries=len(decode_canary(canary.value).inputs) if canary else 0,
        key_hash=value(bundle.unprotected, TLV_KEYHASH),
        sha512=value(bundle.unprotected, TLV_SHA512), tlvs=tlvs,
        payload=payload_kind(bundle.payload))


def verify_bundle(path: str | os.PathLike[str], pubkey_path: str | os.PathLike[str]
                  ) -> BundleSummary:
    """BundleError unless imgtool verifies the bundle's hash and Ed25519 signature with the
    public key, the key hash names that key, and the layout is complete."""
    from imgtool import image

    from microforge.ota.keys import load_public_key

    key = load_public_key(pubkey_path)
    summary = summarize(path)  # bounds and required TLVs first
    result, _, digest, _ = image.Image.verify(str(path), key)
    if result != image.VerifyResult.OK:
        raise BundleError(f"{path}: {result.name.lower().replace('_', ' ')} (imgtool verify with "
                          f"{pubkey_path}); do not install it")
    key_hash = hashlib.sha512(key.get_public_bytes()).digest()
    if key_hash != summary.key_hash:
        raise BundleError(f"{path}: signed by another key than {pubkey_path} (KEYHASH differs)")
    if digest != summary.sha512:
        raise BundleError(f"{path}: the SHA512 TLV does not match the image")
    return summary
