"""Finding the cross toolchains, and the message when one is missing."""

from __future__ import annotations

import shutil

import pytest

from microforge.errors import ToolchainError
from microforge.targets import toolchain
from microforge.targets.toolchain import find_toolchain, toolchain_available


@pytest.mark.parametrize("arch, cc, qemu", [
    ("arm", "arm-none-eabi-gcc", "qemu-system-arm"),
    ("riscv", "riscv64-unknown-elf-gcc", "qemu-system-riscv32"),
])
def test_finds_installed_toolchain(arch: str, cc: str, qemu: str) -> None:
    if shutil.which(cc) is None:
        with pytest.raises(ToolchainError, match="toolchain missing: install"):
            find_toolchain(arch)
        assert not toolchain_available(arch)
        return
    tools = find_toolchain(arch)
    assert tools.arch == arch
    assert tools.cc.name == cc and tools.cc.is_file()
    assert tools.size.name.endswith("-size") and tools.qemu.name == qemu
    assert tools.nm.name.endswith("-nm") and tools.nm.is_file()
    assert toolchain_available(arch)


def test_missing_tools_say_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolchain.shutil, "which", lambda name: None)
    with pytest.raises(ToolchainError) as info:
        find_toolchain("arm")
    message = str(info.value)
    assert message.startswith("toolchain missing: install arm-none-eabi-gcc")
    assert "sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm" \
        in message
    assert "\n" not in message
    assert not toolchain_available("riscv")


def test_only_qemu_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(toolchain.shutil, "which",
                        lambda name: None if name.startswith("qemu") else real(name) or name)
    with pytest.raises(ToolchainError, match=r"install qemu-system-riscv32 \(sudo apt-get"):
        find_toolchain("riscv")


def test_unknown_architecture() -> None:
    with pytest.raises(ToolchainError, match="xtensa"):
        find_toolchain("xtensa")
