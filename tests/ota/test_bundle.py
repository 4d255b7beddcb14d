"""Differential: every bundle microforge writes passes `imgtool verify`, and imgtool's
`dumpinfo` reads the same fields microforge wrote."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from microforge.ota.bundle import DEFAULT_VENDOR, make_bundle, vendor_uuid
from microforge.ota.canary import decode_canary
from microforge.ota.errors import BundleError
from microforge.ota.inspect import summarize
from microforge.ota.layout import TLV_ABI_HASH, TLV_CANARY, TLV_MODEL_UUID

IMGTOOL = str(Path(sys.executable).with_name("imgtool"))


def imgtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([IMGTOOL, *args], capture_output=True, text=True)


def test_imgtool_verifies_the_bundle_with_its_key(small_bundle, key_dirs):
    result = imgtool("verify", "-k", str(key_dirs["current"] / "signing.pub"), str(small_bundle))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Image version: 1.2.3+4" in result.stdout


def test_imgtool_refuses_it_with_another_key(small_bundle, key_dirs):
    result = imgtool("verify", "-k", str(key_dirs["unknown"] / "signing.pub"), str(small_bundle))
    assert result.returncode != 0


def test_dumpinfo_fields_match_what_was_written(small_bundle, small_model):
    result = imgtool("dumpinfo", "-f", "json", str(small_bundle))
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    s = summarize(small_bundle)
    assert info["header"]["version"] == s.version == "1.2.3+4"
    assert info["header"]["img_size"] == s.payload_size == small_model.stat().st_size
    prot = {t["type"]: bytes.fromhex(t["data"]) for t in info["tlv_area"]["tlvs_prot"]}
    unprot = {t["type_name"]: bytes.fromhex(t["data"]) for t in info["tlv_area"]["tlvs"]}
    assert int.from_bytes(prot[0x50], "little") == s.counter == 7
    assert prot[0x74] == vendor_uuid(DEFAULT_VENDOR).bytes == s.vendor.bytes
    assert prot[TLV_ABI_HASH] == s.abi_hash and len(s.abi_hash) == 32
    assert prot[TLV_MODEL_UUID] == s.model_uuid.bytes
    assert decode_canary(prot[TLV_CANARY]).inputs
    assert unprot["SHA512"] == s.sha512 and set(unprot) == {"SHA512", "KEYHASH", "ED25519"}
    assert s.overhead == s.size - s.payload_size > 0


def test_the_canaries_are_tflm_outputs(small_bundle, small_model, tflm):
    from microforge.runners.tflm import run_tflm

    s = summarize(small_bundle)
    data = small_bundle.read_bytes()
    from microforge.ota.layout import parse_bundle

    canary = decode_canary(parse_bundle(data).one(parse_bundle(data).protected,
                                                  TLV_CANARY).value)
    assert s.canaries == 2
    model = small_model.read_bytes()
    for x, y in zip(canary.inputs, canary.outputs, strict=True):
        got = run_tflm(model, [np.frombuffer(x, np.int8).reshape(1, 1)])[0]
        assert got.tobytes() == y


def test_the_abi_hash_differs_between_architectures(small_model):
    from microforge.ota.abi import graph_abi_hash
    from tests.ota.conftest import shared_model

    kws = shared_model("mlperf_kws/kws_ref_model.tflite")
    assert graph_abi_hash(small_model.read_bytes()) == graph_abi_hash(small_model.read_bytes())
    assert graph_abi_hash(small_model.read_bytes()) != graph_abi_hash(kws.read_bytes())


@pytest.mark.parametrize(("args", "match"), [
    ({"counter": -1}, "--counter"), ({"version": "one"}, "--version"),
    ({"version": "300.0.0"}, "u8.u8.u16"),
])
def test_bad_arguments_are_one_line_errors(tmp_path, small_model, key_dirs, args, match):
    kwargs = {"version": "1.0.0", "counter": 1, **args}
    out = tmp_path / "b.bin"
    with pytest.raises(BundleError, match=match):
        make_bundle(small_model, key_dirs["current"] / "signing.key", kwargs["version"],
                    kwargs["counter"], out)
    assert not out.exists()
