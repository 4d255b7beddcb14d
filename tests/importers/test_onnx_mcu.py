"""ONNX-imported models on the emulated Cortex-M4 (NUCLEO-L4R5ZI, QEMU): the int8 C bit-exact
with TFLM on the converted .tflite; and the whole PyTorch path, nn.Module -> from_torch -> M4."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.importers.onnx_import import import_onnx
from microforge.measure.verify import verify_on_mcu
from microforge.targets.toolchain import toolchain_available
from tests.conftest import require_module
from tests.importers.onnx_fixtures import MODELS

BOARD = "nucleo_l4r5zi"


@pytest.fixture(scope="module")
def arm() -> None:
    if not toolchain_available("arm"):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (make toolchain)")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MODELS))
def test_onnx_import_bit_exact_on_cortex_m4(onnx_stack, arm, name: str, tmp_path: Path) -> None:
    import onnx

    model, x, _ = MODELS[name]()
    onnx.save(model, str(tmp_path / f"{name}.onnx"))
    compiled = import_onnx(tmp_path / f"{name}.onnx", tmp_path / "c", name, calibration=x)
    report = verify_on_mcu(compiled.import_report.tflite_path, BOARD, n_inputs=10,
                           work_dir=tmp_path / "mcu")
    assert report.passed, report.mismatches
    assert report.n_inputs == 10 and min(report.instructions) > 0


class _ImuNet:  # built lazily: torch is optional
    @staticmethod
    def make():
        import torch
        from torch import nn

        torch.manual_seed(0)
        return nn.Sequential(
            nn.Conv1d(3, 8, 5, padding=2), nn.BatchNorm1d(8), nn.ReLU6(),
            nn.Conv1d(8, 8, 3, padding=1), nn.Hardswish(), nn.AdaptiveAvgPool1d(1),
            nn.Flatten(), nn.Linear(8, 4))


@pytest.mark.slow
def test_from_torch_to_cortex_m4(onnx_stack, arm, tmp_path: Path) -> None:
    require_module("torch")  # pip install 'microforge[torch]' (the CPU build, 2.13.0)
    import torch

    import microforge

    net = _ImuNet.make()
    with torch.no_grad():  # a trained-looking BatchNorm: running statistics of real batches
        net.train()
        rng = np.random.default_rng(0)
        protos = rng.normal(0, 1, (4, 3, 32))
        labels = np.arange(200) % 4
        x = (protos[labels] + 0.3 * rng.normal(0, 1, (200, 3, 32))).astype(np.float32)
        net(torch.from_numpy(x))
    compiled = microforge.from_torch(net, torch.from_numpy(x[:1]), tmp_path / "c", name="imu",
                                     calibration=torch.from_numpy(x), quantize="int8",
                                     min_top1=0.0)  # untrained: ties; SQNR is checked
    assert isinstance(compiled, microforge.runners.host.CompiledModel)
    assert net.training  # the module's mode is given back
    report = compiled.import_report
    assert report.transposes_left == 0 and report.layout.perm == (0, 2, 1)
    assert report.calibration.outputs[0].sqnr_db > 20
    mcu = verify_on_mcu(report.tflite_path, BOARD, n_inputs=10, work_dir=tmp_path / "mcu")
    assert mcu.passed, mcu.mismatches
