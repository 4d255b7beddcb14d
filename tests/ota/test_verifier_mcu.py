"""The device verifier on the emulated Cortex-M4 and RV32: the same reasons as on the host
for a valid bundle and a sample of the attack corpus; code and stack within budget on the M4."""

from __future__ import annotations

import shutil

import pytest

from microforge.ota.attacks import corpus, corpus_parts
from microforge.ota.forge import variant_bundle
from microforge.ota.mcu import verify_on_mcu

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("board", "tool"), [("nucleo_l4r5zi", "arm-none-eabi-gcc"),
                                             ("esp32_c3", "riscv64-unknown-elf-gcc")])
def test_the_attack_corpus_on_the_emulated_core(board, tool, small_bundle, policy, key_dirs,
                                                tmp_path):
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool} (make toolchain)")
    parts = corpus_parts(small_bundle.read_bytes(),
                         {name: d / "signing.key" for name, d in key_dirs.items()})
    cases = [c for c in corpus(parts, policy) if len(c[1]) <= 96 * 1024]
    result = verify_on_mcu(board, policy, [data for _, data, _ in cases], tmp_path)
    wrong = [f"{name}: {got} (expected {want})"
             for (name, _, want), got in zip(cases, result.statuses, strict=True) if got != want]
    assert not wrong, wrong
    assert len(result.instructions) == len(cases)
    if board == "nucleo_l4r5zi":
        assert result.library_flash_bytes <= 14 * 1024  # the budget


@pytest.mark.parametrize(("board", "tool"), [("nucleo_l4r5zi", "arm-none-eabi-gcc"),
                                             ("esp32_c3", "riscv64-unknown-elf-gcc")])
def test_power_loss_on_the_emulated_core(board, tool, small_model, small_bundle, policy,
                                         key_dirs, tmp_path):
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool} (make toolchain)")
    import uuid

    from microforge.ota.mcu import power_loss_on_mcu

    old_id, new_id = uuid.uuid4(), uuid.uuid4()
    key = key_dirs["current"] / "signing.key"
    old = variant_bundle(small_bundle.read_bytes(), key, 7, old_id)
    new = variant_bundle(small_bundle.read_bytes(), key, 8, new_id)
    runs = power_loss_on_mcu(board, small_model, policy, old, new, work_dir=tmp_path)
    assert runs[0].reset is False and runs[0].model_uuid == new_id.hex
    assert len(runs) == runs[0].ops + 1  # one reset after each flash operation
    for r in runs[1:]:
        assert r.reset and r.status == "ok" and r.canary == "ok", r
        assert r.model_uuid in (old_id.hex, new_id.hex)
        assert r.counter == (8 if r.model_uuid == new_id.hex else 7)


@pytest.mark.parametrize(("board", "tool"), [("nucleo_l4r5zi", "arm-none-eabi-gcc"),
                                             ("esp32_c3", "riscv64-unknown-elf-gcc")])
def test_power_loss_during_a_revert_on_the_emulated_core(board, tool, small_model,
                                                         small_bundle, policy, key_dirs,
                                                         tmp_path):
    """A new model that fails its canaries is reverted; a reset (the last write or erase torn
    at random) after every flash operation of install, trial and revert: the old model always
    comes back, its canaries pass on the compiled model, the counter is the old one."""
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool} (make toolchain)")
    import uuid

    from microforge.ota.mcu import power_loss_on_mcu

    old_id = uuid.uuid4()
    key = key_dirs["current"] / "signing.key"
    old = variant_bundle(small_bundle.read_bytes(), key, 7, old_id)
    bad = variant_bundle(small_bundle.read_bytes(), key, 9, uuid.uuid4(), bad_canary=True)
    runs = power_loss_on_mcu(board, small_model, policy, old, bad, seed=2, work_dir=tmp_path)
    assert runs[0].reset is False and len(runs) == runs[0].ops + 1
    for r in runs:
        assert (r.status, r.canary, r.model_uuid, r.counter) == ("ok", "ok", old_id.hex, 7), r


@pytest.mark.parametrize(("board", "tool", "seed"), [
    ("nucleo_l4r5zi", "arm-none-eabi-gcc", 3), ("esp32_c3", "riscv64-unknown-elf-gcc", 4)])
def test_random_torn_writes_on_the_emulated_core(board, tool, seed, small_model, small_bundle,
                                                 policy, key_dirs, tmp_path):
    """The update with other random tears (a random prefix of the last write, random bits of
    the next byte, a random part of an erase) at every reset point."""
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool} (make toolchain)")
    import uuid

    from microforge.ota.mcu import power_loss_on_mcu

    old_id, new_id = uuid.uuid4(), uuid.uuid4()
    key = key_dirs["current"] / "signing.key"
    old = variant_bundle(small_bundle.read_bytes(), key, 7, old_id)
    new = variant_bundle(small_bundle.read_bytes(), key, 8, new_id)
    runs = power_loss_on_mcu(board, small_model, policy, old, new, seed=seed,
                             work_dir=tmp_path)
    assert len(runs) == runs[0].ops + 1
    for r in runs:
        assert r.status == "ok" and r.canary == "ok", r
        assert (r.model_uuid, r.counter) in ((old_id.hex, 7), (new_id.hex, 8)), r
