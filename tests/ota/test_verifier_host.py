"""The device verifier (runtime/ota/mf_ota_verify.c) on the host under ASan/UBSan: the attack
corpus, each case with its expected reason code; every truncation; RFC 8032 vectors."""

from __future__ import annotations

import struct

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from microforge.ota.host import ed25519_on_host, truncations_on_host, verify_on_host
from microforge.ota.layout import (
    STATUS_NAMES,
    TLV_ABI_HASH,
    TLV_CANARY,
    TLV_ED25519,
    TLV_KEYHASH,
    TLV_MODEL_UUID,
    TLV_SEC_CNT,
    TLV_SHA512,
    TLV_UUID_CID,
    TLV_UUID_VID,
    parse_bundle,
)
from microforge.paths import RUNTIME_DIR
from tests.ota.forge import forge, key_hash, private_key, tlv


def flip(data: bytes, offset: int) -> bytes:
    out = bytearray(data)
    out[offset] ^= 0x01
    return bytes(out)


@pytest.fixture(scope="module")
def parts(small_bundle, policy, key_dirs):
    """What the forged cases are built from: the payload, the protected TLVs of a valid
    bundle, the keys."""
    data = small_bundle.read_bytes()
    b = parse_bundle(data)
    prot = {t.type: t.value for t in b.protected}
    keys = {name: private_key(d / "signing.key") for name, d in key_dirs.items()}
    return data, b, prot, keys


def protected_tlvs(prot, counter=None, skip=(), replace=None, extra=()):
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


def corpus(parts, policy):
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
    digest = parse_bundle(ok).one(parse_bundle(ok).unprotected, TLV_SHA512).value
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


def test_the_attack_corpus_gets_the_expected_reasons(parts, policy):
    cases = corpus(parts, policy)
    got = verify_on_host(policy, [data for _, data, _ in cases])
    wrong = [f"{name}: {g} (expected {want})" for (name, _, want), g in zip(cases, got,
                                                                            strict=True)
             if g != want]
    assert not wrong, wrong
    attacks = [g for (_, _, want), g in zip(cases, got, strict=True) if want != "ok"]
    assert attacks and "ok" not in attacks


def test_every_truncation_of_a_small_bundle_is_rejected(small_bundle, policy):
    data = small_bundle.read_bytes()
    reasons = truncations_on_host(policy, data)
    assert len(reasons) == len(data)
    assert "ok" not in reasons
    assert set(reasons) <= {"truncated", "tlv_layout", "tlv_missing"}


def test_the_status_names_match_the_c_header():
    header = (RUNTIME_DIR / "ota" / "mf_ota.h").read_text()
    for code, name in enumerate(STATUS_NAMES):
        assert f"MF_OTA_{'OK' if code == 0 else 'E_' + name.upper()} = {code}" in header


def test_the_tlv_numbers_match_the_c_header():
    header = (RUNTIME_DIR / "ota" / "mf_ota.h").read_text()
    for name, value in (("SHA512", TLV_SHA512), ("KEYHASH", TLV_KEYHASH),
                        ("ED25519", TLV_ED25519), ("SEC_CNT", TLV_SEC_CNT),
                        ("UUID_VID", TLV_UUID_VID), ("UUID_CID", TLV_UUID_CID),
                        ("ABI_HASH", TLV_ABI_HASH), ("MODEL_UUID", TLV_MODEL_UUID),
                        ("CANARY", TLV_CANARY)):
        assert f"#define MF_OTA_TLV_{name} 0x{value:02x}u" in header


# RFC 8032 section 7.1, TEST 1-3 (secret key, public key, message, signature)
RFC8032 = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
]
L = 2**252 + 27742317777372353535851937790883648493  # the group order


def test_rfc8032_vectors_on_our_build():
    from cryptography.hazmat.primitives import serialization

    vectors = []
    for sk, pk, msg, sig in RFC8032:
        key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sk))
        raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
        assert raw.hex() == pk and key.sign(bytes.fromhex(msg)).hex() == sig  # the vectors
        vectors.append((bytes.fromhex(pk), bytes.fromhex(sig), bytes.fromhex(msg)))
    bad = [(pk, flip(sig, 0), m) for pk, sig, m in vectors]
    bad += [(pk, sig, m + b"\x00") for pk, sig, m in vectors]
    bad += [(flip(pk, 3), sig, m) for pk, sig, m in vectors]
    assert ed25519_on_host(vectors + bad) == [True] * 3 + [False] * 9


def test_edge_cases_non_canonical_s_and_small_order_points():
    pk, sig, msg = (bytes.fromhex(v) for v in RFC8032[0][1:2] + RFC8032[0][3:4] +
                    RFC8032[0][2:3])
    s = int.from_bytes(sig[32:], "little")
    non_canonical = sig[:32] + (s + L).to_bytes(32, "little")  # same S mod L, not < L
    identity = (1).to_bytes(32, "little")  # the neutral point (order 1)
    order2 = (2**255 - 20).to_bytes(32, "little")  # (0, -1), order 2
    small = [(identity, identity + bytes(32), msg), (identity, identity + bytes(32), b"x"),
             (order2, identity + bytes(32), msg), (pk, identity + bytes(32), msg)]
    s_max = sig[:32] + b"\xff" * 32
    got = ed25519_on_host([(pk, sig, msg), (pk, non_canonical, msg), (pk, s_max, msg), *small])
    assert got[0] is True
    assert got[1:3] == [False, False]  # S >= L is refused (RFC 8032 5.1.7)
    assert got[6] is False  # a small-order R with S = 0 against a real key
    # got[3:6]: the small-order public keys themselves; reported, and kept out of the key list
    # by the firmware's policy (keys are compiled in, never taken from a bundle)
