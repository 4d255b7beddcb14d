"""The attack corpus of the device verifier: forged, tampered, truncated and replayed
bundles built from one valid bundle, each with the reason code the verifier must give.
Run by tests/ota (host under ASan/UBSan, emulated cores) and bench/ota.py."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from microforge.ota.forge import forge, key_hash, private_key, tlv
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

Parts = tuple[bytes, Bundle, dict[int, bytes], dict[str, ed25519.Ed25519PrivateKey]]


def corpus_parts(bundle: bytes, key_files: dict[str, Path]) -> Parts:
    """What the cases are built from: the bundle, its parse, its protected TLVs, and the keys
    "current", "next" (rotation), "revoked", "unknown" (signing.key files)."""
    b = parse_bundle(bundle)
    return (bundle, b, {t.type: t.value for t in b.protected},
            {name: private_key(path) for name, path in key_files.items()})


def flip(data: bytes, offset: int) -> bytes:
    out = bytearray(data)
    out[offset] ^= 0x01
    return bytes(out)


def protected_tlvs(prot: dict[int, bytes], counter: int | None = None, skip: tuple = (),
                   replace: dict[int, bytes] | None = None,
                   extra: Sequence[bytes] = ()) -> list[bytes]:
    out = []
    for t, v in prot.items():
        if t in skip:
            continue
        if t == TLV_SEC_CNT and counter is not None:
            v = struct.pack("<I", counter)
        if replace and t in replace:
            v = replace[t]
        out.append(tlv(t, v))
    return out + list(extra)


def corpus(parts: Parts, policy: Any) -> list[tuple[str, bytes, str]]:
    """(case, bundle bytes, expected reason)."""
    data, b, prot, keys = parts
    k = keys["current"]
    payload = b.payload
    p_off = b.header_size + b.image_size  # protected area
    u_off = p_off + b.protected_size  # unprotected area
    sig_off = next(t.offset for t in b.unprotected if t.type == TLV_ED25519)
    hash_off = next(t.offset for t in b.unprotected if t.type == TLV_SHA512)
    kh_off = next(t.offset for t in b.unprotected if t.type == TLV_KEYHASH)
    ok = forge(payload, protected_tlvs(prot), k)
    hash_tlv = parse_bundle(ok).one(parse_bundle(ok).unprotected, TLV_SHA512)
    assert hash_tlv is not None
    digest = hash_tlv.value
    std = [tlv(TLV_SHA512, digest), tlv(TLV_KEYHASH, key_hash(k)), tlv(TLV_ED25519,
                                                                      k.sign(digest))]
    cases = [
        ("valid bundle from microforge bundle", data, "ok"),
        ("valid forged-layout bundle (same TLVs)", ok, "ok"),
        ("rotated key (second in the list)", forge(payload, protected_tlvs(prot), keys["next"]),
         "ok"),
        ("counter equal to stored", forge(payload, protected_tlvs(prot, counter=7), k), "ok"),
        ("counter above stored", forge(payload, protected_tlvs(prot, counter=8), k), "ok"),
        ("tampered header magic", flip(data, 0), "magic"),
        ("tampered header version", flip(data, 20), "hash"),
        ("tampered header flags", flip(data, 16), "header"),
        ("tampered payload start", flip(data, b.header_size), "hash"),
        ("tampered payload middle", flip(data, b.header_size + b.image_size // 2), "hash"),
        ("tampered payload end", flip(data, p_off - 1), "hash"),
        ("tampered protected TLV value", flip(data, u_off - 1), "hash"),
        ("tampered protected area magic", flip(data, p_off), "tlv_layout"),
        ("tampered unprotected SHA512", flip(data, hash_off + 5), "hash"),
        ("tampered unprotected KEYHASH", flip(data, kh_off + 5), "unknown_key"),
        ("tampered signature R", flip(data, sig_off), "signature"),
        ("tampered signature S", flip(data, sig_off + 40), "signature"),
        ("unknown key", forge(payload, protected_tlvs(prot), keys["unknown"]), "unknown_key"),
        ("revoked key", forge(payload, protected_tlvs(prot), keys["revoked"]), "revoked_key"),
        ("wrong key under the right key hash", forge(payload, protected_tlvs(prot), k,
         unprotected=[std[0], std[1], tlv(TLV_ED25519, keys["unknown"].sign(digest))]),
         "signature"),
        ("missing signature", forge(payload, protected_tlvs(prot), k, unprotected=std[:2]),
         "tlv_missing"),
        ("missing hash", forge(payload, protected_tlvs(prot), k, unprotected=std[1:]),
         "tlv_missing"),
        ("missing key hash", forge(payload, protected_tlvs(prot), k,
                                   unprotected=[std[0], std[2]]), "tlv_missing"),
        ("missing counter", forge(payload, protected_tlvs(prot, skip=(TLV_SEC_CNT,)), k),
         "tlv_missing"),
        ("missing ABI hash", forge(payload, protected_tlvs(prot, skip=(TLV_ABI_HASH,)), k),
         "tlv_missing"),
        ("no protected area", forge(payload, [], k), "tlv_missing"),
        ("counter in the unprotected area", forge(payload, protected_tlvs(
            prot, skip=(TLV_SEC_CNT,)), k, extra_unprotected=[tlv(TLV_SEC_CNT, b"\xff" * 4)]),
         "tlv_unknown"),
        ("extra counter in the unprotected area", forge(payload, protected_tlvs(prot), k,
         extra_unprotected=[tlv(TLV_SEC_CNT, struct.pack("<I", 99))]), "tlv_unknown"),
        ("duplicate unprotected SHA512", forge(payload, protected_tlvs(prot), k,
                                               extra_unprotected=[std[0]]), "tlv_duplicate"),
        ("duplicate unprotected signature", forge(payload, protected_tlvs(prot), k,
                                                  extra_unprotected=[std[2]]), "tlv_duplicate"),
        ("duplicate protected counter (signed)", forge(payload, protected_tlvs(
            prot, extra=[tlv(TLV_SEC_CNT, struct.pack("<I", 99))]), k), "tlv_duplicate"),
        ("duplicate protected ABI hash (signed)", forge(payload, protected_tlvs(
            prot, extra=[tlv(TLV_ABI_HASH, prot[TLV_ABI_HASH])]), k), "tlv_duplicate"),
        ("unknown protected TLV (signed)", forge(payload, protected_tlvs(
            prot, extra=[tlv(0x00B7, b"x")]), k), "tlv_unknown"),
        ("counter TLV of 8 bytes (signed)", forge(payload, protected_tlvs(
            prot, replace={TLV_SEC_CNT: b"\x09" * 8}), k), "tlv_layout"),
        ("rollback: counter below stored", forge(payload, protected_tlvs(prot, counter=6), k),
         "rollback"),
        ("rollback: counter 0", forge(payload, protected_tlvs(prot, counter=0), k), "rollback"),
        ("wrong ABI hash", forge(payload, protected_tlvs(
            prot, replace={TLV_ABI_HASH: bytes(32)}), k), "abi"),
        ("wrong vendor", forge(payload, protected_tlvs(
            prot, replace={TLV_UUID_VID: bytes(16)}), k), "ids"),
        ("wrong class", forge(payload, protected_tlvs(
            prot, replace={TLV_UUID_CID: b"\x01" * 16}), k), "ids"),
        ("missing class", forge(payload, protected_tlvs(prot, skip=(TLV_UUID_CID,)), k),
         "tlv_missing"),
        ("missing model UUID", forge(payload, protected_tlvs(prot, skip=(TLV_MODEL_UUID,)), k),
         "tlv_missing"),
        ("canary count past its TLV", forge(payload, protected_tlvs(
            prot, replace={TLV_CANARY: b"\xff\xff\x01\x00\x01\x00\x00\x00"}), k), "canary"),
        ("oversized payload", forge(bytes(policy.max_payload + 1), protected_tlvs(prot), k),
         "too_big"),
    ]
    # TLV lengths and areas that run past the end
    unprot = bytearray(data)
    struct.pack_into("<H", unprot, sig_off - 2, 0xFFF0)
    cases.append(("unprotected TLV length past the end", bytes(unprot), "tlv_layout"))
    total = bytearray(data)
    struct.pack_into("<H", total, u_off + 2, 0xFFFF)
    cases.append(("unprotected area size past the end", bytes(total), "truncated"))
    img = bytearray(data)
    struct.pack_into("<I", img, 12, b.image_size + 100)
    cases.append(("image size past the TLVs", bytes(img), "tlv_layout"))
    huge = bytearray(data)
    struct.pack_into("<I", huge, 12, 0xFFFFFF00)
    cases.append(("image size near 4 GiB", bytes(huge), "too_big"))
    prot_len = bytearray(data)
    struct.pack_into("<H", prot_len, 10, b.protected_size + 8)
    cases.append(("protected size in the header past the area", bytes(prot_len), "tlv_layout"))
    prot_tlv = forge(payload, protected_tlvs(prot)[:-1] + [struct.pack("<HH", TLV_CANARY, 0xFFFF)
                                                          + prot[TLV_CANARY]], k)
    cases.append(("protected TLV length past its area (signed)", prot_tlv, "tlv_layout"))
    cases.append(("empty file", b"", "truncated"))
    cases.append(("header only", data[:32], "truncated"))
    return cases
