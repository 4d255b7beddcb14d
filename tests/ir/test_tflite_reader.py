"""The .tflite reader on every shared model, and on broken files."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ModelError, UnsupportedOpError
from microforge.ir.tflite_reader import read_tflite

MODELS = [
    "mlperf_kws/kws_ref_model.tflite",
    "mlperf_ic/pretrainedResnet_quant.tflite",
    "mlperf_ic/pretrainedResnet.tflite",
    "mlperf_ad/ad01_int8.tflite",
    "mlperf_ad/ad01_fp32.tflite",
    "tflm_hello_world/hello_world_int8.tflite",
    "tflm_hello_world/hello_world_float.tflite",
    "tflm_micro_speech/micro_speech_quantized.tflite",
    "tflm_magic_wand/magic_wand.tflite",
]


@pytest.mark.parametrize("relative", MODELS)
def test_reads_every_shared_model(shared_data: Path, relative: str) -> None:
    import tflite

    data = (shared_data / "models" / relative).read_bytes()
    graph = read_tflite(data)
    sub = tflite.Model.GetRootAsModel(data, 0).Subgraphs(0)
    assert len(graph.tensors) == sub.TensorsLength()
    assert len(graph.operators) == sub.OperatorsLength()
    assert graph.inputs == [int(i) for i in sub.InputsAsNumpy()]
    for tensor in graph.tensors:
        if tensor.data is not None:
            assert tensor.data.shape == tensor.shape
            assert tensor.data.dtype == np.dtype(tensor.dtype)


def test_kws_options_and_constants(shared_data: Path) -> None:
    graph = read_tflite(shared_data / "models/mlperf_kws/kws_ref_model.tflite")
    assert [op.op_type for op in graph.operators][:2] == ["CONV_2D", "DEPTHWISE_CONV_2D"]
    conv = graph.operators[0]
    assert conv.options["padding"] == "SAME"
    assert conv.options["stride_h"] == 2 and conv.options["dilation_w_factor"] == 1
    assert conv.options["fused_activation_function"] == "RELU"
    weights = graph.tensors[conv.inputs[1]]
    assert weights.dtype == "int8" and weights.shape == (64, 10, 4, 1)
    assert weights.quant is not None and len(weights.quant.scale) == 64
    assert graph.tensors[conv.inputs[2]].data.dtype == np.int32
    reshape = next(op for op in graph.operators if op.op_type == "RESHAPE")
    assert reshape.index == 10 and graph.tensors[reshape.inputs[1]].is_constant


def test_reshape_new_shape_is_a_list(shared_data: Path) -> None:
    graph = read_tflite(shared_data / "models/tflm_micro_speech/micro_speech_quantized.tflite")
    assert graph.operators[0].options["new_shape"] == [-1, 49, 40, 1]


@pytest.mark.parametrize("kind", ["int8", "float"])
def test_audio_preprocessor_custom_ops_and_unsigned_tensors(shared_data: Path, kind: str) -> None:
    graph = read_tflite(shared_data / f"models/tflm_micro_speech/audio_preprocessor_{kind}.tflite")
    rfft = next(op for op in graph.operators if op.op_type == "CUSTOM:SignalRfft")
    assert rfft.options == {"T": 7, "fft_length": 512}
    energy = next(op for op in graph.operators if op.op_type == "CUSTOM:SignalEnergy")
    assert graph.tensors[energy.outputs[0]].dtype == "uint32"
    bank = next(op for op in graph.operators if op.op_type == "CUSTOM:SignalFilterBank")
    assert graph.tensors[bank.outputs[0]].dtype == "uint64"
    subtraction = next(op for op in graph.operators
                       if op.op_type == "CUSTOM:SignalFilterBankSpectralSubtraction")
    assert subtraction.options["smoothing_bits"] == 10 and subtraction.options["clamping"] is False


def test_corrupt_custom_options_name_the_operator() -> None:
    from tests.fuzz.schema import pack, unpack
    from tests.ops.signal_build import Spec, const, signal_model

    model = unpack(signal_model("SignalWindow", [Spec((1, 4), "int16"), const([1] * 4, "int16")],
                                [Spec((1, 4), "int16")], {"shift": 1}))
    model.subgraphs[0].operators[0].customOptions = [0xFF, 0x07, 0x01]
    with pytest.raises(ModelError, match=r"operator 0 \(CUSTOM:SignalWindow\): custom options"):
        read_tflite(pack(model))


def test_uint32_tensor_on_an_op_that_does_not_declare_it_is_reported(tmp_path: Path) -> None:
    from microforge.codegen.compiler import compile_model
    from tests.ops.signal_build import Spec, const, signal_model

    reshape = signal_model("RESHAPE", [Spec((2, 3), "uint32"), const([6], "int32")],
                           [Spec((6,), "uint32")], builtin=22)
    with pytest.raises(UnsupportedOpError, match=r"RESHAPE \(operator 0, uint32\): uint32 "
                                                  "tensors not implemented"):
        compile_model(reshape, tmp_path / "r")


def test_uint16_tensor_is_reported_by_the_reader() -> None:
    from tests.ops.signal_build import Spec, const, signal_model

    model = signal_model("RESHAPE", [Spec((2,), "uint16"), const([2], "int32")],
                         [Spec((2,), "uint16")], builtin=22)
    with pytest.raises(UnsupportedOpError, match="UINT16"):
        read_tflite(model)


def test_not_a_tflite(tmp_path: Path) -> None:
    path = tmp_path / "x.tflite"
    path.write_bytes(b"hello, this is not a flatbuffer at all")
    with pytest.raises(ModelError, match="not a TFLite model"):
        read_tflite(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        read_tflite(tmp_path / "absent.tflite")


def test_truncated(shared_data: Path) -> None:
    data = (shared_data / "models/mlperf_kws/kws_ref_model.tflite").read_bytes()
    with pytest.raises(ModelError):
        read_tflite(data[: len(data) // 3])


def _tables(data: bytes):
    import tflite

    model = tflite.Model.GetRootAsModel(data, 0)
    return model, model.Subgraphs(0)


def _field_pos(table, vtable_offset: int) -> int:
    offset = table._tab.Offset(vtable_offset)
    assert offset != 0
    return table._tab.Pos + offset


def test_buffer_length_mismatch_names_the_tensor(shared_data: Path) -> None:
    data = bytearray((shared_data / "models/tflm_hello_world/hello_world_int8.tflite").read_bytes())
    model, sub = _tables(bytes(data))
    tensor = next(sub.Tensors(i) for i in range(sub.TensorsLength())
                  if model.Buffers(sub.Tensors(i).Buffer()).DataLength() > 4)
    buf = model.Buffers(tensor.Buffer())
    vector_start = buf._tab.Vector(buf._tab.Offset(4))
    length = buf.DataLength()
    struct.pack_into("<I", data, vector_start - 4, length - 4)
    with pytest.raises(ModelError, match=r"tensor \d+ .*holds \d+ bytes"):
        read_tflite(bytes(data))


def test_buffer_index_out_of_range(shared_data: Path) -> None:
    data = bytearray((shared_data / "models/tflm_hello_world/hello_world_int8.tflite").read_bytes())
    _, sub = _tables(bytes(data))
    tensor = sub.Tensors(0)
    struct.pack_into("<I", data, _field_pos(tensor, 8), 9999)
    with pytest.raises(ModelError, match="tensor 0 .*buffer 9999"):
        read_tflite(bytes(data))


def test_operator_input_out_of_range(shared_data: Path) -> None:
    data = bytearray((shared_data / "models/tflm_hello_world/hello_world_int8.tflite").read_bytes())
    _, sub = _tables(bytes(data))
    op = sub.Operators(1)
    start = op._tab.Vector(op._tab.Offset(6))
    struct.pack_into("<i", data, start, 777)
    with pytest.raises(ModelError, match=r"operator 1 \(FULLY_CONNECTED\) input .*777"):
        read_tflite(bytes(data))


def test_unknown_opcode(shared_data: Path) -> None:
    data = bytearray((shared_data / "models/tflm_hello_world/hello_world_int8.tflite").read_bytes())
    model, _ = _tables(bytes(data))
    code = model.OperatorCodes(0)
    struct.pack_into("<i", data, _field_pos(code, 10), 4000)
    with pytest.raises(ModelError, match="unknown builtin code 4000"):
        read_tflite(bytes(data))


def test_quantization_scales_must_match_the_axis(shared_data: Path) -> None:
    data = bytearray((shared_data / "models/mlperf_kws/kws_ref_model.tflite").read_bytes())
    _, sub = _tables(bytes(data))
    index = next(i for i in range(sub.TensorsLength())
                 if (q := sub.Tensors(i).Quantization()) is not None and q.ScaleLength() > 1)
    quant = sub.Tensors(index).Quantization()
    n = quant.ScaleLength()
    for field in (8, 10):  # scale and zero_point vectors: claim one value less
        start = quant._tab.Vector(quant._tab.Offset(field))
        struct.pack_into("<I", data, start - 4, n - 1)
    with pytest.raises(ModelError, match=f"tensor {index} .*{n - 1} scales but dimension 0"):
        read_tflite(bytes(data))


# -- what TFLM accepts, the reader accepts (issue 10) ------------------------------------------

def _kws_with(shared_data: Path, edit) -> bytes:
    from tests.fuzz.schema import pack, unpack

    model = unpack((shared_data / "models/mlperf_kws/kws_ref_model.tflite").read_bytes())
    edit(model, model.subgraphs[0])
    return pack(model)


def _conv_biases(model, sub) -> list:
    names = {i: model.operatorCodes[op.opcodeIndex] for i, op in enumerate(sub.operators)}
    return [sub.tensors[op.inputs[2]] for i, op in enumerate(sub.operators)
            if max(names[i].builtinCode, names[i].deprecatedBuiltinCode) in (3, 4)
            and len(op.inputs) > 2 and op.inputs[2] >= 0]


def test_bias_quantized_along_the_filters_axis_is_read(shared_data: Path, tmp_path: Path) -> None:
    """Older converters wrote a CONV_2D / DEPTHWISE bias (rank 1, per-channel) with the
    filter's quantized dimension (3); TFLM runs such files, and so must the compiler."""
    from tests.ops.tflm_compare import assert_matches_tflm

    def bias_axis_3(model, sub) -> None:
        biases = _conv_biases(model, sub)
        assert biases and all(len(b.quantization.scale) > 1 for b in biases)
        for bias in biases:
            bias.quantization.quantizedDimension = 3

    data = _kws_with(shared_data, bias_axis_3)
    graph = read_tflite(data)
    assert all(t.quant.axis == 0 for t in graph.tensors
               if t.quant is not None and t.quant.per_channel and len(t.shape) == 1)
    assert_matches_tflm(data, tmp_path, n=5)


def test_per_channel_scales_no_dimension_matches_are_refused(shared_data: Path) -> None:
    def bad_axis(model, sub) -> None:
        bias = _conv_biases(model, sub)[0]
        bias.quantization.quantizedDimension = 3
        bias.quantization.scale = list(bias.quantization.scale) + [0.5]  # one too many
        bias.quantization.zeroPoint = list(bias.quantization.zeroPoint) + [0]

    with pytest.raises(ModelError, match="beyond its rank 1, with 65 scales that no dimension"):
        read_tflite(_kws_with(shared_data, bad_axis))


def test_variable_tensor_is_state_not_an_unproduced_input(shared_data: Path) -> None:
    """A tensor marked is_variable (LSTM state) is available from the start: the verifier does
    not call it 'used before any operator produces it'; its buffer is not read."""
    from microforge.ir.verifier import verify_graph

    def variable_bias(model, sub) -> None:
        _conv_biases(model, sub)[0].isVariable = True

    graph = read_tflite(_kws_with(shared_data, variable_bias))
    variables = [t for t in graph.tensors if t.is_variable]
    assert len(variables) == 1 and variables[0].data is None
    verify_graph(graph)


def test_operator_versions_are_recorded(shared_data: Path) -> None:
    graph = read_tflite(shared_data / "models/mlperf_kws/kws_ref_model.tflite")
    assert {op.version for op in graph.operators} >= {2}
