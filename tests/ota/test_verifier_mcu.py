"""The device verifier on the emulated Cortex-M4 and RV32: the same reasons as on the host
for a valid bundle and a sample of the attack corpus; code and stack within budget on the M4."""

from __future__ import annotations

import shutil

import pytest

from microforge.ota.mcu import verify_on_mcu
from tests.ota.test_verifier_host import corpus

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("board", "tool"), [("nucleo_l4r5zi", "arm-none-eabi-gcc"),
                                             ("esp32_c3", "riscv64-unknown-elf-gcc")])
def test_the_attack_corpus_on_the_emulated_core(board, tool, small_bundle, policy, key_dirs,
                                                tmp_path):
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool} (make toolchain)")
    from microforge.ota.layout import parse_bundle
    from tests.ota.forge import private_key

    data = small_bundle.read_bytes()
    b = parse_bundle(data)
    parts = (data, b, {t.type: t.value for t in b.protected},
             {name: private_key(d / "signing.key") for name, d in key_dirs.items()})
    cases = [c for c in corpus(parts, policy) if len(c[1]) <= 96 * 1024]
    result = verify_on_mcu(board, policy, [data for _, data, _ in cases], tmp_path)
    wrong = [f"{name}: {got} (expected {want})"
             for (name, _, want), got in zip(cases, result.statuses, strict=True) if got != want]
    assert not wrong, wrong
    assert len(result.instructions) == len(cases)
    if board == "nucleo_l4r5zi":
        assert result.library_flash_bytes <= 14 * 1024  # the budget
