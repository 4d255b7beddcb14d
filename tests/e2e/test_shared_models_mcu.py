"""Every shared model on the emulated MCUs (QEMU) against TFLM.

int8 outputs bit-exact, float32 within rtol 1e-5 / atol 1e-6 (the host tolerance of
docs/compiler.md), 20 seeded random input sets per model and core in one QEMU run (the AD
models also get 20 real log-mel windows). Cores: Cortex-M4 (NUCLEO-L4R5ZI), M7
(STM32F746G-DISCO), M33 (B-U585I-IOT02A), M0+ code on the M3 machine (Raspberry Pi Pico),
RV32IMC (ESP32-C3). A model bigger than the real board must raise BoardFitError; it is then run
on the same core with the board's memory enlarged to what the emulated machine maps, so every
model is still proven on every core. The Cortex-M3 Blue Pill (64 KB / 20 KB) checks board fit.
The float ResNet runs 3 inputs on the soft-float cores (about 2 G instructions each).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from microforge.errors import BoardFitError
from microforge.runners.host import compile_and_load as compile_model
from microforge.runners.mcu import run_model_on_mcu
from microforge.runners.tflm import run_tflm_batch, tflm_interpreter
from microforge.targets.boards import load_board
from microforge.targets.cores import core_spec, machine_memory
from microforge.targets.features import CoreFeatures, core_features
from microforge.targets.toolchain import toolchain_available
from tests.ops.tflite_build import random_inputs

FLOAT_RTOL, FLOAT_ATOL = 1e-5, 1e-6
N_RANDOM = 20
MODELS = [
    "tflm_hello_world/hello_world_int8.tflite",
    "tflm_hello_world/hello_world_float.tflite",
    "mlperf_kws/kws_ref_model.tflite",
    "mlperf_ad/ad01_int8.tflite",
    "mlperf_ad/ad01_fp32.tflite",
    "tflm_micro_speech/micro_speech_quantized.tflite",
    "tflm_magic_wand/magic_wand.tflite",
    "mlperf_ic/pretrainedResnet_quant.tflite",
    "mlperf_ic/pretrainedResnet.tflite",
]
BOARDS = ["nucleo_l4r5zi", "stm32f746g_disco", "b_u585i_iot02a", "raspberry_pi_pico",
          "esp32_c3"]
SLOW_FLOAT = {"mlperf_ic/pretrainedResnet.tflite"}  # soft float: 3 inputs


def ad_windows(folder: Path, int8_detail: dict | None) -> list[list[np.ndarray]]:
    """20 real 5-frame log-mel windows of the AD input file (quantized for the int8 model)."""
    hist = np.fromfile(folder / "normal_id_01_00000000_hist_librosa.bin", np.float32)
    frames = hist.reshape(200, 128)
    windows = np.stack([frames[i:i + 5].reshape(640) for i in range(0, 196, 10)])
    if int8_detail is not None:
        q = int8_detail["quantization_parameters"]
        scale, zero = q["scales"][0], q["zero_points"][0]
        windows = np.clip(np.round(windows / scale) + zero, -128, 127).astype(np.int8)
    return [[w[None]] for w in windows]


@cache
def _inputs(path: Path, soft_float_core: bool) -> list[list[np.ndarray]]:
    data = path.read_bytes()
    n = 3 if soft_float_core and f"{path.parent.name}/{path.name}" in SLOW_FLOAT else N_RANDOM
    samples = random_inputs(data, n, seed=11)
    if path.parent.name == "mlperf_ad":
        detail = tflm_interpreter(data).get_input_details(0)
        samples += ad_windows(path.parent, detail if detail["dtype"] == np.int8 else None)
    return samples


@cache
def _reference(path: Path, soft_float_core: bool) -> list[list[np.ndarray]]:
    return run_tflm_batch(path.read_bytes(), _inputs(path, soft_float_core))


def _assert_same(ours: list[list[np.ndarray]], ref: list[list[np.ndarray]], what: str) -> None:
    assert len(ours) == len(ref), what
    for k, (a_set, b_set) in enumerate(zip(ours, ref, strict=True)):
        for a, b in zip(a_set, b_set, strict=True):
            assert a.shape == b.shape and a.dtype == b.dtype, what
            if a.dtype == np.float32:
                np.testing.assert_allclose(a, b, rtol=FLOAT_RTOL, atol=FLOAT_ATOL,
                                           err_msg=f"{what} input set {k}")
            else:
                np.testing.assert_array_equal(a, b, err_msg=f"{what} input set {k}")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory):
    """compiled(path, board_id): each model compiled once per set of core features (the kernel
    variants the board's core gets, codegen/variants.py)."""
    models: dict[tuple[Path, CoreFeatures], object] = {}

    def get(path: Path, board_id: str):
        key = (path, core_features(load_board(board_id)))
        if key not in models:
            models[key] = compile_model(path, tmp_path_factory.mktemp("c"), name="m",
                                        target=key[1])
        return models[key]

    return get


def _emulator_sized(board_id: str):
    """The board with flash and RAM as large as its core's emulated machine maps."""
    board = load_board(board_id)
    memory = machine_memory(core_spec(board).machine or "")
    return dataclasses.replace(board, flash_kb=memory.flash_max // 1024,
                               ram_kb=memory.ram_max // 1024)


@pytest.mark.slow
@pytest.mark.parametrize("board_id", BOARDS)
@pytest.mark.parametrize("relative", MODELS)
def test_model_on_mcu_matches_tflm(shared_data: Path, tmp_path: Path, compiled,
                                   relative: str, board_id: str) -> None:
    board = load_board(board_id)
    core = core_spec(board)
    if not toolchain_available(core.arch):
        pytest.fail(f"toolchain for {core.arch} missing: run `make toolchain`")
    path = shared_data / "models" / relative
    model = compiled(path, board_id)
    soft = core.arch == "riscv" or "-mfloat-abi=soft" in core.cflags
    samples = _inputs(path, soft)
    what = f"{relative} on {board_id} ({core.name})"
    try:
        result = run_model_on_mcu(model, board, samples, work_dir=tmp_path / "mcu")
    except BoardFitError as exc:
        assert str(exc).startswith("m: needs ") and f"board {board_id} has" in str(exc)
        result = run_model_on_mcu(model, _emulator_sized(board_id), samples,
                                  work_dir=tmp_path / "mcu_big")
        assert result.flash_bytes > board.flash_bytes or \
            result.ram_bytes + result.image.stack_reserved > board.ram_bytes, what
    _assert_same(result.outputs, _reference(path, soft), what)
    macs = sum(op.cost.macs for op in model.info.ops)
    assert len(result.instructions) == len(samples)
    assert min(result.instructions) >= macs, what  # at least one instruction per MAC
    assert result.library_ram_bytes >= model.info.arena_size
    assert 0 < result.stack_bytes < result.image.stack_reserved


@pytest.mark.slow
@pytest.mark.parametrize("relative, stack_kb, fits", [
    ("tflm_hello_world/hello_world_int8.tflite", 8, True),
    ("mlperf_kws/kws_ref_model.tflite", 8, True),  # 9.2 KB RAM + 8 KB stack <= 20 KB
    ("mlperf_kws/kws_ref_model.tflite", 12, False),  # 9.2 KB RAM + 12 KB stack > 20 KB
    ("tflm_magic_wand/magic_wand.tflite", 8, True),  # 5.7 KB since the depthwise+pool fusion
    ("mlperf_ic/pretrainedResnet_quant.tflite", 8, False),  # 87 KB flash > 64 KB
])
def test_board_fit_on_a_small_cortex_m3(shared_data: Path, tmp_path: Path, relative: str,
                                        stack_kb: int, fits: bool) -> None:
    path = shared_data / "models" / relative
    model = compile_model(path, tmp_path / "c", name="small")
    samples = random_inputs(path.read_bytes(), 3, seed=5)
    if not fits:
        with pytest.raises(BoardFitError, match=r"^small: needs \d+\.\d KB (RAM|flash), "
                                                r"board stm32f103c8_bluepill has (20|64) KB"):
            run_model_on_mcu(model, "stm32f103c8_bluepill", samples, work_dir=tmp_path / "m",
                             stack_bytes=stack_kb * 1024)
        return
    result = run_model_on_mcu(model, "stm32f103c8_bluepill", samples, work_dir=tmp_path / "m",
                              stack_bytes=stack_kb * 1024)
    assert result.image.core.name == "cortex-m3" and result.image.core.machine == "mps2-an385"
    _assert_same(result.outputs, run_tflm_batch(path.read_bytes(), samples), relative)
