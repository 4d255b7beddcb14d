"""An attacker's (and a test's) bundle builder: any header, TLVs and signature, signed with
`cryptography` exactly as imgtool signs (Ed25519 over the SHA-512 digest). Used by the attack
corpus (`ota/attacks.py`), the tests and bench/ota.py; never by the signing path."""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from microforge.ota.layout import (
    IMAGE_MAGIC,
    TLV_CANARY,
    TLV_ED25519,
    TLV_INFO_MAGIC,
    TLV_KEYHASH,
    TLV_MODEL_UUID,
    TLV_PROT_INFO_MAGIC,
    TLV_SEC_CNT,
    TLV_SHA512,
    parse_bundle,
)


def tlv(tlv_type: int, value: bytes) -> bytes:
    return struct.pack("<HH", tlv_type, len(value)) + value


def area(magic: int, tlvs: list[bytes]) -> bytes:
    body = b"".join(tlvs)
    return struct.pack("<HH", magic, 4 + len(body)) + body


def key_hash(key: ed25519.Ed25519PrivateKey) -> bytes:
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha512(der).digest()


def forge(payload: bytes, protected: list[bytes], key: ed25519.Ed25519PrivateKey, *,
          flags: int = 0, version: tuple[int, int, int, int] = (1, 0, 0, 0),
          unprotected: list[bytes] | None = None,
          extra_unprotected: Sequence[bytes] = ()) -> bytes:
    prot = area(TLV_PROT_INFO_MAGIC, protected) if protected else b""
    header = struct.pack("<IIHHIIBBHII", IMAGE_MAGIC, 0, 32, len(prot), len(payload), flags,
                         *version, 0)
    signed = header + payload + prot
    digest = hashlib.sha512(signed).digest()
    if unprotected is None:
        unprotected = [tlv(TLV_SHA512, digest), tlv(TLV_KEYHASH, key_hash(key)),
                       tlv(TLV_ED25519, key.sign(digest))]
    return signed + area(TLV_INFO_MAGIC, [*unprotected, *extra_unprotected])


def private_key(path: Path) -> ed25519.Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    return key


def variant_bundle(bundle: bytes, key: Path, counter: int, ident: uuid.UUID,
                   bad_canary: bool = False) -> bytes:
    """The bundle re-signed with `key` (a signing.key) with another counter and model UUID
    (and, with bad_canary, one canary output one LSB off): the updates of the power-loss runs."""
    b = parse_bundle(bundle)
    prot = []
    for t in b.protected:
        value = t.value
        if t.type == TLV_SEC_CNT:
            value = struct.pack("<I", counter)
        elif t.type == TLV_MODEL_UUID:
            value = ident.bytes
        elif t.type == TLV_CANARY and bad_canary:
            value = value[:-1] + bytes([value[-1] ^ 1])
        prot.append(tlv(t.type, value))
    return forge(b.payload, prot, private_key(key))
