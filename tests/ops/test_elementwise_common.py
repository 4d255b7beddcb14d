"""Unary elementwise ops: memory hints, costs, unsupported combinations, shape errors, and the
float32 Prepare arithmetic shared by the op modules."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import QuantParams, Tensor
from microforge.ops.base import get_op
from microforge.ops.elementwise_common import activation_range_int8, quantize_f32

UNARY = ["LOGISTIC", "TANH", "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "QUANTIZE"]


def unary_graph(op_type: str, in_dtype: str = "int8", out_dtype: str = "int8",
                in_quant: tuple = ((0.05,), (3,)), out_quant: tuple = ((1 / 256,), (-128,)),
                out_shape: tuple = (2, 5)) -> tuple[Graph, Operator]:
    qi = QuantParams(*in_quant) if in_dtype == "int8" else None
    qo = QuantParams(*out_quant) if out_dtype == "int8" else None
    tensors = [Tensor(0, "x", (2, 5), in_dtype, qi), Tensor(1, "y", out_shape, out_dtype, qo)]
    op = Operator(0, op_type, (0,), (1,), {"alpha": 0.2})
    return Graph("g", tensors, [op], [0], [1]), op


@pytest.mark.parametrize("op_type", UNARY)
def test_unary_ops_run_in_place(op_type):
    graph, op = unary_graph(op_type)
    opdef = get_op(op_type)
    assert opdef.unsupported_reason(op, graph) is None
    params = opdef.prepare(op, graph)
    assert opdef.memory(op, graph, params).inplace_input == 0


def test_dequantize_is_not_in_place():
    graph, op = unary_graph("DEQUANTIZE", out_dtype="float32")
    opdef = get_op("DEQUANTIZE")
    assert opdef.unsupported_reason(op, graph) is None
    assert opdef.memory(op, graph, opdef.prepare(op, graph)).inplace_input is None


@pytest.mark.parametrize("op_type", ["LOGISTIC", "TANH", "HARD_SWISH"])
def test_table_ops_cost_their_256_byte_table(op_type):
    graph, op = unary_graph(op_type)
    opdef = get_op(op_type)
    assert opdef.cost(op, graph, opdef.prepare(op, graph)).weight_bytes == 256


# with int16 (16x8) kernels: they need quantization
INT16 = {"LOGISTIC", "TANH", "QUANTIZE", "RELU", "RELU6", "LEAKY_RELU"}


@pytest.mark.parametrize("op_type", UNARY)
def test_int16_and_per_channel_are_unsupported(op_type):
    graph, op = unary_graph(op_type, in_dtype="int16", out_dtype="int16")  # unquantized
    reason = get_op(op_type).unsupported_reason(op, graph)
    assert reason is not None
    assert ("quantiz" if op_type in INT16 else "dtypes") in reason
    graph, op = unary_graph(op_type, in_quant=((0.1, 0.2), (0, 0)))
    assert "per channel" in get_op(op_type).unsupported_reason(op, graph)


def test_tflm_rejections_are_reported():
    graph, op = unary_graph("HARD_SWISH", in_quant=((1.0,), (0,)), out_quant=((1e-4,), (0,)))
    assert "output scale" in get_op("HARD_SWISH").unsupported_reason(op, graph)
    graph, op = unary_graph("LOGISTIC", in_quant=((1e-9,), (0,)))
    assert "2^-28" in get_op("LOGISTIC").unsupported_reason(op, graph)
    graph, op = unary_graph("LOGISTIC", out_quant=((1 / 256,), (0,)))
    assert "-128" in get_op("LOGISTIC").unsupported_reason(op, graph)
    graph, op = unary_graph("DEQUANTIZE", out_dtype="int8")
    assert "int8/int16/uint8 -> float32" in get_op("DEQUANTIZE").unsupported_reason(op, graph)


def test_element_count_mismatch_is_a_model_error():
    graph, op = unary_graph("RELU", out_shape=(3, 5))
    with pytest.raises(ModelError, match=r"operator 0 \(RELU\)"):
        get_op("RELU").check_shapes(op, graph)


def test_float32_prepare_arithmetic():
    scale = float(np.float32(6.0 / 50.5))  # 6 / scale: 50.4999... in double, 50.5 in float
    assert quantize_f32(6.0, scale, 0) == 51
    assert activation_range_int8("RELU6", scale, -128) == (-128, -77)
    assert activation_range_int8("RELU", 0.1, 5) == (5, 127)
    assert activation_range_int8("RELU_N1_TO_1", 0.01, 0) == (-100, 100)
    assert activation_range_int8("NONE", 0.01, 0) == (-128, 127)


ELEMENTWISE_KERNELS = ["add_sub_s8", "mul_s8", "max_min_s8", "binary_f32", "lut_s8",
                       "requantize_s8", "clamp_s8", "leaky_relu_s8", "activation_f32",
                       "logistic_tanh_f32", "quantize_f32_s8", "dequantize_s8_f32"]


@pytest.mark.parametrize("kernel", ELEMENTWISE_KERNELS)
def test_kernels_build_warning_free_for_cortex_m4(kernel, tmp_path):
    import shutil
    import subprocess

    from microforge.paths import RUNTIME_DIR

    gcc = shutil.which("arm-none-eabi-gcc")
    if gcc is None:
        pytest.skip("arm-none-eabi-gcc not installed")
    source = RUNTIME_DIR / "kernels" / f"{kernel}.c"
    cmd = [gcc, "-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard",
           "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wdouble-promotion", "-O2",
           "-c", str(source), "-o", str(tmp_path / f"{kernel}.o")]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
