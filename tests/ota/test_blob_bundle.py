"""Bundles whose payload is a model blob: imgtool agrees, the ABI TLV is the compiler's
GRAPH_ABI_HASH, and on the emulated M4 a retrained blob runs from the verified slot on the
firmware of the first training (canaries bit-exact with TFLM) while another architecture is
refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microforge.codegen.compiler import compile_model
from microforge.ota.abi import compile_blob, graph_abi_hash
from microforge.ota.bundle import (
    DEFAULT_CLASS,
    DEFAULT_VENDOR,
    class_uuid,
    make_bundle,
    vendor_uuid,
)
from microforge.ota.forge import forge, private_key, tlv
from microforge.ota.host import Policy
from microforge.ota.inspect import summarize
from microforge.ota.keys import load_public_key, raw_public_key
from microforge.ota.layout import TLV_ABI_HASH, parse_bundle
from tests.codegen.blob_models import ds_cnn


@pytest.fixture(scope="module")
def models(tf, tmp_path_factory) -> dict[str, Path]:
    """The firmware's model, a retraining of it, another architecture (.tflite files)."""
    root = tmp_path_factory.mktemp("blob_models")
    paths = {}
    for name, data in (("first", ds_cnn(0)), ("retrained", ds_cnn(1)),
                       ("other", ds_cnn(2, channels=12))):
        paths[name] = root / f"{name}.tflite"
        paths[name].write_bytes(data)
    return paths


def test_a_blob_bundle_carries_the_blob_and_the_compilers_abi_hash(models, key_dirs,
                                                                    tmp_path):
    out = tmp_path / "b.bin"
    result = make_bundle(models["retrained"], key_dirs["current"] / "signing.key", "1.1.0", 3,
                         out, payload="blob")
    compiled = compile_blob(models["retrained"])
    bundle = parse_bundle(out.read_bytes())
    assert bundle.payload == compiled.blob and result.payload == "blob"
    assert summarize(out).payload == "blob"
    abi = bundle.one(bundle.protected, TLV_ABI_HASH)
    assert abi is not None and abi.value == compiled.abi_hash == graph_abi_hash(models["first"])
    header = (compile_model(models["first"], tmp_path / "fw", "fw", weights="blob").out_dir
              / "fw.h").read_text()
    assert "{ " + ", ".join(f"0x{b:02x}" for b in abi.value) + " }" in header
    imgtool = Path(sys.executable).parent / "imgtool"
    check = subprocess.run([str(imgtool), "verify", "-k",
                            str(key_dirs["current"] / "signing.pub"), str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def _policy(key_dirs, abi: bytes) -> Policy:
    raw = raw_public_key(load_public_key(key_dirs["current"] / "signing.pub"))
    return Policy(keys=[(raw, False)], vendor=vendor_uuid(DEFAULT_VENDOR),
                  model_class=class_uuid(DEFAULT_VENDOR, DEFAULT_CLASS), abi_hash=abi,
                  min_counter=0)


@pytest.mark.slow
def test_a_mislabelled_blob_bundle_is_refused_by_set_blob_on_the_m4(models, key_dirs,
                                                                     tmp_path):
    """Another architecture's blob signed (by mistake) with the firmware's ABI TLV: the
    signature holds, the blob's own header still names its graph and mf_<name>_set_blob
    refuses it from the slot; the canaries do not run. (Another architecture with its own
    ABI TLV is refused by the verifier, `abi`: the attack corpus.)"""
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("needs arm-none-eabi-gcc (make toolchain)")
    from microforge.ota.mcu import update_flow_on_mcu

    key = key_dirs["current"] / "signing.key"
    policy = _policy(key_dirs, graph_abi_hash(models["first"]))
    other = tmp_path / "other.bin"
    make_bundle(models["other"], key, "2.0.0", 4, other, payload="blob")
    b = parse_bundle(other.read_bytes())
    prot = [tlv(t.type, policy.abi_hash if t.type == TLV_ABI_HASH else t.value)
            for t in b.protected]
    mislabelled = forge(b.payload, prot, private_key(key))
    flow = update_flow_on_mcu("nucleo_l4r5zi", policy, mislabelled, tmp_path / "c",
                              firmware_model=models["first"])
    assert (flow.verify, flow.blob, flow.canary) == ("ok", "abi_mismatch", "not run")


@pytest.mark.slow
def test_verify_cli_runs_a_blob_bundle_on_the_firmware_model(models, key_dirs, tmp_path,
                                                             capsys):
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("needs arm-none-eabi-gcc (make toolchain)")
    from microforge.cli import main

    bundle = tmp_path / "r.bin"
    assert main(["bundle", str(models["retrained"]), "--key",
                 str(key_dirs["current"] / "signing.key"), "--version", "1.0.0", "--counter",
                 "2", "-o", str(bundle), "--payload", "blob"]) == 0
    capsys.readouterr()
    pub = str(key_dirs["current"] / "signing.pub")
    # the retraining's blob on the first model's firmware, from the verified slot; its
    # canaries are TFLM's outputs of the retrained model: bit-exact on the device
    assert main(["verify", str(models["first"]), "--bundle", str(bundle), "-b",
                 "nucleo_l4r5zi", "--pubkey", pub]) == 0
    out = capsys.readouterr().out
    assert "verify ok" in out and "model blob ok" in out and "canaries ok" in out
    # without the firmware's model: one line, exit 2
    assert main(["verify", "--bundle", str(bundle), "-b", "nucleo_l4r5zi", "--pubkey",
                 pub]) == 2
    assert "name the firmware's model" in capsys.readouterr().err


def _zeros_output(model: Path) -> int:
    """TFLM's first output value of the model on an all-zero int8 input."""
    import numpy as np

    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data = model.read_bytes()
    interp = tflm_interpreter(data)
    shape = interp.get_input_details(0)["shape"]
    return int(run_tflm(data, [np.zeros(shape, np.int8)], interp)[0].reshape(-1)[0])


@pytest.mark.slow
def test_deploy_ota_blob_example_runs_the_slot_flow(tflm, models, key_dirs, tmp_path):
    """deploy --ota --weights blob: example/ota_main.c (host build, ASan/UBSan) installs
    blob bundles into the A/B slots: the retrained blob runs on the same code, another
    architecture and a rollback are refused, the previous model keeps running."""
    from microforge.deploy import deploy_model
    from microforge.ota.deploy import OtaOptions
    from microforge.runners.sizes import WARNING_FLAGS

    options = OtaOptions([key_dirs["current"] / "signing.pub"], vendor_uuid(DEFAULT_VENDOR),
                         class_uuid(DEFAULT_VENDOR, DEFAULT_CLASS))
    out = tmp_path / "lib"
    deploy_model(models["first"], "nucleo_l4r5zi", "c", out, "net", ota=options,
                 weights="blob")
    example = out / "example" / "ota_main.c"
    assert example.is_file() and "mf_net_set_blob" in example.read_text()
    assert "mf_net_graph_abi_hash[32] = {" not in (out / "mf_net_ota_policy.c").read_text()
    key = key_dirs["current"] / "signing.key"
    bundles = []
    for i, (model, counter) in enumerate((("first", 1), ("retrained", 2), ("other", 3),
                                          ("first", 1))):
        bundles.append(tmp_path / f"b{i}.bin")
        make_bundle(models[model], key, "1.0.0", counter, bundles[-1], payload="blob")
    exe = tmp_path / "ota_example"
    subprocess.run(["gcc", *WARNING_FLAGS, "-DMF_OTA_EXAMPLE_HOST", "-g",
                    "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-I", str(out),
                    str(example), *map(str, sorted(out.glob("*.c"))), "-o", str(exe), "-lm"],
                   check=True, capture_output=True)
    run = subprocess.run([str(exe), *map(str, bundles)], capture_output=True, text=True,
                         check=True)
    assert "runtime error" not in run.stderr
    lines = [line.split() for line in run.stdout.splitlines()]
    first, retrained = _zeros_output(models["first"]), _zeros_output(models["retrained"])
    # install status, boot status, active slot, stored counter, output[0] on zeros
    assert lines == [["0", "0", "0", "1", str(first)],
                     ["0", "0", "1", "2", str(retrained)],
                     ["14", "0", "1", "2", str(retrained)],  # abi: another architecture
                     ["15", "0", "1", "2", str(retrained)]]  # rollback: counter 1 < 2
    if shutil.which("arm-none-eabi-gcc"):  # the firmware build of the example
        from microforge.runners.sizes import CORTEX_M4_FLAGS

        subprocess.run(["arm-none-eabi-gcc", *CORTEX_M4_FLAGS, *WARNING_FLAGS, "-Os", "-c",
                        "-I", str(out), str(example), "-o", str(tmp_path / "ota_main.o")],
                       check=True, capture_output=True)
