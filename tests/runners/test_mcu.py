"""Running firmware in QEMU: semihosting files, exit code, exact instruction counts, stack
high-water mark, timeouts, and one small model against TFLM on the emulated Cortex-M4."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.firmware import FirmwareSource, build_firmware
from microforge.runners.host import compile_and_load as compile_model
from microforge.runners.mcu import EmulatorError, model_app_c, run_firmware, run_model_on_mcu
from microforge.runners.tflm import run_tflm_batch
from microforge.targets.qemu_plugin import cache_dir, plugin_path
from microforge.targets.toolchain import toolchain_available

needs_arm = pytest.mark.skipif(not toolchain_available("arm"), reason="no arm-none-eabi-gcc")
needs_riscv = pytest.mark.skipif(not toolchain_available("riscv"), reason="no RISC-V gcc")

ECHO_APP = r"""#include "mf_harness.h"
static unsigned char buf[64];
int mf_app_main(void) {
    long n = mf_sh_read("in.bin", buf, sizeof buf);
    long i;
    if (n < 0) { return 9; }
    for (i = 0; i < n; ++i) { buf[i] = (unsigned char)(buf[i] + 1); }
    mf_sh_puts("echo done\n");
    return mf_sh_write("out.bin", buf, (unsigned long)n) == n ? 42 : 8;
}
"""

LOOP_APP = r"""#include "mf_harness.h"
static __attribute__((noipa)) void spin(unsigned long n) {
#if defined(__ARM_ARCH_6M__) /* GCC hands Thumb-1 inline asm to gas in divided syntax */
    __asm__ volatile(".syntax unified\n1: subs %0, %0, #1\n\tbne 1b\n.syntax divided"
                     : "+l"(n) : : "cc");
#elif defined(__arm__)
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+l"(n) : : "cc");
#else
    __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
#endif
}
int mf_app_main(void) {
    mf_measure_begin();
    mf_measure_end();
    mf_measure_begin();
    spin(10);
    mf_measure_end();
    mf_measure_begin();
    spin(200);  /* both counts fit an 8-bit immediate: same set-up on Armv6-M */
    mf_measure_end();
    return 0;
}
"""

STACK_APP = r"""#include "mf_harness.h"
static __attribute__((noipa)) int deep(volatile unsigned char *p, int n) {
    volatile unsigned char frame[512];
    frame[0] = (unsigned char)n;
    frame[511] = p[0];
    return n == 0 ? frame[0] : deep(frame, n - 1) + frame[511];
}
int mf_app_main(void) {
    unsigned char seed = 1;
    return deep(&seed, 5) >= 0 ? 0 : 1;
}
"""


def _image(board: str, app: str, tmp_path: Path, name: str = "t"):
    return build_firmware(board, FirmwareSource([], [], app, name=name), tmp_path / "build")


@needs_arm
def test_semihosting_files_stdout_and_exit_code(tmp_path: Path) -> None:
    image = _image("nucleo_l4r5zi", ECHO_APP, tmp_path)
    run = run_firmware(image, tmp_path, {"in.bin": bytes([1, 2, 3, 250])})
    assert run.exit_code == 42
    assert "echo done" in run.stdout and "[mf] stack" not in run.stdout
    assert run.files == {"out.bin": bytes([2, 3, 4, 251])}
    assert run.instructions == []


@needs_arm
def test_missing_input_file(tmp_path: Path) -> None:
    run = run_firmware(_image("nucleo_l4r5zi", ECHO_APP, tmp_path), tmp_path, {})
    assert run.exit_code == 9 and run.files == {}


@pytest.mark.parametrize("board", [
    pytest.param("nucleo_l4r5zi", marks=needs_arm),
    pytest.param("raspberry_pi_pico", marks=[needs_arm, pytest.mark.slow]),
    pytest.param("esp32_c3", marks=[needs_riscv, pytest.mark.slow]),
])
def test_instruction_counts_are_exact(tmp_path: Path, board: str) -> None:
    image = _image(board, LOOP_APP, tmp_path)
    first = run_firmware(image, tmp_path / "a", {})
    second = run_firmware(image, tmp_path / "b", {})
    assert first.exit_code == 0
    assert first.instructions == second.instructions
    empty, short, long = first.instructions
    assert long - short == 2 * (200 - 10)  # two instructions per loop iteration
    if image.core.arch == "arm":
        assert empty == 1  # the `bl mf_measure_end`
        # movs r0,#10; bl spin; 10 x (subs, bne); bx lr; bl mf_measure_end
        assert short == 1 + 1 + 20 + 1 + 1


@needs_arm
def test_instructions_per_function(tmp_path: Path) -> None:
    image = _image("nucleo_l4r5zi", LOOP_APP, tmp_path)
    run = run_firmware(image, tmp_path, {}, functions=True)
    empty, short, long = run.functions
    assert empty == {"mf_app_main": 1}  # the `bl mf_measure_end`
    # spin: 10 x (subs, bne) and its bx lr; mf_app_main: movs, bl spin, bl mf_measure_end
    assert short == {"spin": 21, "mf_app_main": 3}
    assert long["spin"] == 401
    assert [sum(f.values()) for f in run.functions] == run.instructions


def test_plugin_is_built_into_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROFORGE_CACHE", str(tmp_path / "cache"))
    path = plugin_path()
    assert path.parent == cache_dir() == tmp_path / "cache"
    assert path.is_file() and path.name.startswith("mf_icount_")
    assert plugin_path() == path  # cached


@needs_arm
def test_stack_high_water_mark(tmp_path: Path) -> None:
    run = run_firmware(_image("nucleo_l4r5zi", STACK_APP, tmp_path), tmp_path, {})
    assert run.exit_code == 0
    assert 6 * 512 <= run.stack_bytes < 6 * 512 + 600


@needs_arm
def test_timeout_is_a_clear_error(tmp_path: Path) -> None:
    app = ("#include \"mf_harness.h\"\nint mf_app_main(void) { for (;;) { "
           "__asm__ volatile(\"\"); } return 0; }\n")
    with pytest.raises(EmulatorError, match="did not finish within 2 s"):
        run_firmware(_image("nucleo_l4r5zi", app, tmp_path), tmp_path, {}, timeout=2)


@needs_arm
def test_fault_exits_with_a_message(tmp_path: Path) -> None:
    app = ("#include \"mf_harness.h\"\nint mf_app_main(void) { "
           "return *(volatile int *)0x90000000u; }\n")
    run = run_firmware(_image("nucleo_l4r5zi", app, tmp_path), tmp_path, {})
    assert run.exit_code == 126 and "[mf] fault" in run.stdout


@needs_arm
def test_hello_world_on_cortex_m4_matches_tflm(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    model = compile_model(path, tmp_path / "hw", name="hw")
    samples = [[np.array([[v]], np.int8)] for v in range(-128, 128, 5)]
    result = run_model_on_mcu(model, "nucleo_l4r5zi", samples, work_dir=tmp_path / "mcu")
    reference = run_tflm_batch(path.read_bytes(), samples)
    for ours, ref in zip(result.outputs, reference, strict=True):
        np.testing.assert_array_equal(ours[0], ref[0])
    assert len(result.instructions) == len(samples)
    assert result.instructions[0] > sum(op.cost.macs for op in model.info.ops)
    assert result.library_flash_bytes >= model.info.weight_bytes
    assert result.flash_bytes > result.library_flash_bytes
    assert result.library_ram_bytes >= model.info.arena_size
    assert 0 < result.stack_bytes < result.image.stack_reserved


def test_app_reads_every_input_before_each_invoke() -> None:
    class Detail:
        def __init__(self, position: int, dtype: str, size: int) -> None:
            self.position, self.dtype, self.size = position, dtype, size

    class Info:
        name = "m"
        inputs = [Detail(0, "int8", 10), Detail(1, "float32", 3)]
        outputs = [Detail(0, "int8", 4)]
        inputs_in_arena = False
        outputs_in_arena = False

    text = model_app_c(Info(), 7)
    assert "for (k = 0; k < 7ul; ++k)" in text
    assert "mf_sh_read_fd(in, input0, 10ul)" in text and "mf_sh_read_fd(in, input1, 12ul)" in text
    assert "mf_m_invoke(input0, input1, output0)" in text
    assert "__attribute__((noipa))" in text
    assert text.index("mf_measure_begin") < text.index("mf_run_invoke();")


@needs_arm
def test_inputs_in_the_arena(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    model = compile_model(path, tmp_path / "hw", name="hw", inplace_input=True)
    assert model.info.inputs_in_arena
    samples = [[np.array([[v]], np.int8)] for v in (-128, -3, 0, 77, 127)]
    result = run_model_on_mcu(model, "raspberry_pi_pico", samples, work_dir=tmp_path / "mcu")
    for ours, ref in zip(result.outputs, run_tflm_batch(path.read_bytes(), samples),
                         strict=True):
        np.testing.assert_array_equal(ours[0], ref[0])


@needs_arm
@pytest.mark.slow
def test_counts_at_other_optimisation_levels(tmp_path: Path) -> None:
    source = FirmwareSource([], [], LOOP_APP, name="os")
    for opt in ("-O0", "-Os"):
        image = build_firmware("nucleo_l4r5zi", source, tmp_path / opt, opt=opt)
        empty, short, long = run_firmware(image, tmp_path / opt, {}).instructions
        assert long - short == 2 * (200 - 10)
        assert empty == 1


def test_app_of_a_blob_model_sets_the_blob_from_flash_first() -> None:
    class Detail:
        def __init__(self, position: int, dtype: str, size: int) -> None:
            self.position, self.dtype, self.size = position, dtype, size

    class Info:
        name = "m"
        inputs = [Detail(0, "int8", 10)]
        outputs = [Detail(0, "int8", 4)]
        inputs_in_arena = False
        outputs_in_arena = False
        blob = bytes(range(20))

    text = model_app_c(Info(), 2)
    assert "static const union { uint8_t bytes[20]; uint64_t align; } mf_model_blob" in text
    assert "0x00, 0x01, 0x02" in text and "0x13\n}};" in text
    assert text.index("mf_m_set_blob(mf_model_blob.bytes") < text.index("for (k = 0;")
