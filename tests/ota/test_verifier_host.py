"""The device verifier (runtime/ota/mf_ota_verify.c) on the host under ASan/UBSan: the attack
corpus, each case with its expected reason code; every truncation; RFC 8032 vectors."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from microforge.ota.attacks import corpus, corpus_parts, flip
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
)
from microforge.paths import RUNTIME_DIR


@pytest.fixture(scope="module")
def parts(small_bundle, key_dirs):
    """What the forged cases are built from (ota/attacks.py)."""
    return corpus_parts(small_bundle.read_bytes(),
                        {name: d / "signing.key" for name, d in key_dirs.items()})


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
