"""The bundle layout: the MCUboot image format (header, payload, protected and unprotected
TLV areas) with microforge's custom protected TLVs. The one definition of the numbers; the C
verifier (runtime/ota/mf_ota.h) states the same ones and a test checks they agree."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from microforge.ota.errors import BundleError

IMAGE_MAGIC = 0x96F3B83D
HEADER_SIZE = 32
TLV_INFO_MAGIC = 0x6907
TLV_PROT_INFO_MAGIC = 0x6908

# MCUboot's TLV types (imgtool.image.TLV_VALUES)
TLV_KEYHASH = 0x01
TLV_SHA512 = 0x12
TLV_ED25519 = 0x24
TLV_SEC_CNT = 0x50
TLV_UUID_VID = 0x74
TLV_UUID_CID = 0x75
# microforge's custom protected TLVs (MCUboot's vendor range 0x00a0-0xfffe)
TLV_ABI_HASH = 0x00A0   # 32 bytes: GRAPH_ABI_HASH of the model
TLV_MODEL_UUID = 0x00A1  # 16 bytes
TLV_CANARY = 0x00A2     # canary vectors (canary.py)

TLV_NAMES = {TLV_KEYHASH: "KEYHASH", TLV_SHA512: "SHA512", TLV_ED25519: "ED25519",
             TLV_SEC_CNT: "SEC_CNT", TLV_UUID_VID: "UUID_VID", TLV_UUID_CID: "UUID_CID",
             TLV_ABI_HASH: "MF_ABI_HASH", TLV_MODEL_UUID: "MF_MODEL_UUID",
             TLV_CANARY: "MF_CANARY"}


@dataclass(frozen=True)
class Tlv:
    type: int
    offset: int  # of the value, in the bundle
    value: bytes

    @property
    def name(self) -> str:
        return TLV_NAMES.get(self.type, f"0x{self.type:04x}")


@dataclass
class Bundle:
    """A parsed bundle: header fields and the two TLV areas (nothing here is trusted before
    the signature is checked)."""

    load_addr: int
    header_size: int
    protected_size: int
    image_size: int
    flags: int
    version: tuple[int, int, int, int]
    payload: bytes
    protected: list[Tlv] = field(default_factory=list)
    unprotected: list[Tlv] = field(default_factory=list)
    total_size: int = 0

    @property
    def version_text(self) -> str:
        major, minor, rev, build = self.version
        return f"{major}.{minor}.{rev}+{build}"

    def one(self, area: list[Tlv], tlv_type: int) -> Tlv | None:
        found = [t for t in area if t.type == tlv_type]
        return found[0] if len(found) == 1 else None


def parse_bundle(data: bytes, label: str = "bundle") -> Bundle:
    """Split a bundle into its parts with every length bounds-checked (BundleError naming the
    field otherwise). Protected TLVs use 16-bit types (MCUboot reads types as u16)."""
    if len(data) < HEADER_SIZE:
        raise BundleError(f"{label}: {len(data)} bytes, shorter than the {HEADER_SIZE}-byte "
                          "image header")
    magic, load_addr, hdr_size, prot_size, img_size, flags = struct.unpack_from("<IIHHII", data)
    version = struct.unpack_from("<BBHI", data, 20)
    if magic != IMAGE_MAGIC:
        raise BundleError(f"{label}: header magic 0x{magic:08x} is not MCUboot's 0x{IMAGE_MAGIC:08x};"
                          " not a bundle")
    if hdr_size < HEADER_SIZE:
        raise BundleError(f"{label}: header size {hdr_size} < {HEADER_SIZE}")
    end_image = hdr_size + img_size
    if end_image + prot_size + 4 > len(data):
        raise BundleError(f"{label}: header says image {img_size} B + protected TLVs "
                          f"{prot_size} B, past the end of the {len(data)}-byte file (truncated?)")
    protected: list[Tlv] = []
    if prot_size:
        protected = _tlv_area(data, end_image, prot_size, TLV_PROT_INFO_MAGIC, label,
                              "protected")
    start = end_image + prot_size
    info_magic, total = struct.unpack_from("<HH", data, start)
    if info_magic != TLV_INFO_MAGIC:
        raise BundleError(f"{label}: TLV area magic 0x{info_magic:04x} at offset {start} is "
                          f"not 0x{TLV_INFO_MAGIC:04x}")
    unprotected = _tlv_area(data, start, total, TLV_INFO_MAGIC, label, "unprotected")
    return Bundle(load_addr, hdr_size, prot_size, img_size, flags, tuple(version),
                  bytes(data[hdr_size:end_image]), protected, unprotected, start + total)


def _tlv_area(data: bytes, start: int, size: int, magic: int, label: str,
              area: str) -> list[Tlv]:
    if start + size > len(data) or size < 4:
        raise BundleError(f"{label}: the {area} TLV area ({size} B at {start}) runs past the end "
                          "of the file")
    got, total = struct.unpack_from("<HH", data, start)
    if got != magic or total != size:
        raise BundleError(f"{label}: {area} TLV area header (magic 0x{got:04x}, size {total}) "
                          f"does not match (0x{magic:04x}, {size})")
    tlvs, off, end = [], start + 4, start + size
    while off < end:
        if off + 4 > end:
            raise BundleError(f"{label}: {area} TLV header at {off} runs past the area end")
        tlv_type, length = struct.unpack_from("<HH", data, off)
        if off + 4 + length > end:
            raise BundleError(f"{label}: {area} TLV 0x{tlv_type:04x} at {off} has length "
                              f"{length}, past the area end")
        tlvs.append(Tlv(tlv_type, off + 4, bytes(data[off + 4:off + 4 + length])))
        off += 4 + length
    return tlvs

# The device verifier's reason codes (runtime/ota/mf_ota.h, mf_ota_status), in order.
STATUS_NAMES = ("ok", "io", "truncated", "magic", "header", "tlv_layout", "tlv_duplicate",
                "tlv_unknown", "tlv_missing", "hash", "unknown_key", "revoked_key", "signature",
                "ids", "abi", "rollback", "too_big", "canary", "no_image", "state")
