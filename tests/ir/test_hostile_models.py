"""Hostile model files (../shared/data/reliability, one per defect class) and a generated family
per class: every one is rejected in one line naming the file and the tensor/op, leaving no
output, or compiles to C that contains no model text unescaped and is ASan/UBSan clean.

The families rebuild the shared hello-world / KWS models with the TFLite schema's object API
(tests/fuzz/schema.py): each case patches one field the way the class does.
"""

from __future__ import annotations

import gzip
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from microforge.codegen.compiler import compile_model
from microforge.errors import ModelError
from microforge.ir.tflite_reader import MAX_DIM, MAX_NAME_BYTES, MAX_TENSOR_ELEMENTS
from tests.fuzz.run import SanitizedRunner, input_sets
from tests.fuzz.schema import buffer_data, pack, unpack

# file -> words the one-line error must contain (besides the file name)
REJECTED = {
    "softmax_null.tflite": ["operator 3 (SOFTMAX)", "input 0 is absent"],
    "00304_success_sanitizer_report.tflite": ["(SOFTMAX)", "absent"],
    "00621_success_sanitizer_report.tflite": ["(DEPTHWISE_CONV_2D)", "int32 accumulator"],
    "00169_traceback.tflite": ["tensor 9", "zero point"],
    "00528_traceback.tflite": ["graph input tensor 1", "more than once"],
    "00289_traceback.tflite": ["tensor 6", "NaN or infinite"],
    "00396_traceback.tflite": ["operator 7 (CONV_2D)", "padding"],
    "00525_traceback.tflite": ["tensor 4", "zero point"],
    "01286_traceback.tflite": ["operator 3 (SOFTMAX)", "0 inputs"],
    "04674_traceback.tflite": ["operator 10 (SOFTMAX)", "beta"],
    "10171_memory.tflite": ["tensor 1", "limit"],
}
# accepted models whose C had signed overflow before: must now be sanitizer-clean
SANITIZED = ["00055_success_sanitizer_report.tflite", "01113_success_sanitizer_report.tflite.gz"]
INJECTIONS = ["inject_clean.tflite", "inject_error.tflite"]


def _reliability(shared_data: Path, name: str, tmp_path: Path) -> Path:
    path = shared_data / "reliability" / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    if path.suffix == ".gz":
        plain = tmp_path / path.stem
        plain.write_bytes(gzip.decompress(path.read_bytes()))
        return plain
    return path


def _assert_one_line_rejection(model: Path, tmp_path: Path, capsys, words: list[str]) -> None:
    out = tmp_path / "out"
    code = main(["compile", str(model), "-o", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert "\n" not in err and "Traceback" not in err
    assert str(model) in err
    for word in words:
        assert word in err, err
    assert not out.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_reliability_file_is_rejected_in_one_line(shared_data: Path, tmp_path: Path, capsys,
                                                  name: str) -> None:
    model = _reliability(shared_data, name, tmp_path)
    _assert_one_line_rejection(model, tmp_path, capsys, REJECTED[name])


def _sanitizer_clean(data: bytes, tmp_path: Path) -> None:
    compiled = compile_model(data, tmp_path / "c", name="hostile")
    runner = SanitizedRunner(tmp_path / "san")
    runner.check(compiled, input_sets(compiled, np.random.default_rng(0)))


@pytest.mark.parametrize("name", SANITIZED)
def test_reliability_overflow_file_is_sanitizer_clean(shared_data: Path, tmp_path: Path,
                                                      name: str) -> None:
    """Extreme scales / zero points / biases: the C is defined for random and extreme inputs."""
    _sanitizer_clean(_reliability(shared_data, name, tmp_path).read_bytes(), tmp_path)


def _declarations(header: str) -> list[str]:
    """The header's lines outside comments and preprocessor guards."""
    text = re.sub(r"/\*.*?\*/", "", header, flags=re.S)
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


@pytest.mark.parametrize("name", INJECTIONS)
def test_reliability_injection_file_reaches_the_c_only_escaped(shared_data: Path,
                                                               tmp_path: Path, name: str) -> None:
    model = _reliability(shared_data, name, tmp_path)
    clean = _declarations((compile_model(shared_data / "models/tflm_hello_world/"
                                         "hello_world_int8.tflite", tmp_path / "ref").out_dir
                           / "model.h").read_text())
    compiled = compile_model(model, tmp_path / "out")
    header = (compiled.out_dir / "model.h").read_text()
    assert "mf_injected" in header  # the name is kept, inside a comment
    assert _declarations(header) == clean  # and only there
    _sanitizer_clean(model.read_bytes(), tmp_path)


# -- generated families ---------------------------------------------------------------------

HELLO = "models/tflm_hello_world/hello_world_int8.tflite"
KWS = "models/mlperf_kws/kws_ref_model.tflite"


def _patched(shared_data: Path, relative: str, patch) -> bytes:
    model = unpack((shared_data / relative).read_bytes())
    patch(model, model.subgraphs[0])
    return pack(model)


def _rejected(data: bytes, tmp_path: Path, *words: str) -> str:
    out = tmp_path / "out"
    with pytest.raises(ModelError) as info:
        compile_model(data, out)
    message = str(info.value)
    assert message.startswith("model bytes: ") and "\n" not in message
    for word in words:
        assert word in message, message
    assert not out.exists() and list(tmp_path.iterdir()) == []
    return message


NAMES = [b"a */ int mf_injected; /* b", b"*/\n#error x\n/*", b"\x00\x01*/\xff\xfe", b"??/",
         "\u00e9*/\u2028".encode(), b"\\", b"n" * 300, bytes(range(256))]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
@pytest.mark.parametrize("tensor", ["input", "output"])
def test_family_names_never_reach_the_c(shared_data: Path, tmp_path: Path, name: bytes,
                                        tensor: str) -> None:
    def patch(model, sub):
        index = sub.inputs[0] if tensor == "input" else sub.outputs[0]
        sub.tensors[index].name = name

    compiled = compile_model(_patched(shared_data, HELLO, patch), tmp_path / "out")
    for source in ("model.h", "model.c"):
        text = (compiled.out_dir / source).read_text()
        assert text.isascii()
        for comment in re.findall(r"/\*(.*?)\*/", text, flags=re.S):
            assert "/*" not in comment and "??" not in comment and "\\" not in comment
        code = "\n".join(_declarations(text))  # the text outside comments
        assert "mf_injected" not in code and "#error" not in code
    gcc = subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c",
                          str(compiled.out_dir / "model.c"), "-I", str(compiled.out_dir), "-o",
                          str(tmp_path / "m.o")], capture_output=True, text=True)
    assert gcc.returncode == 0, gcc.stderr


@pytest.mark.parametrize("size", [MAX_NAME_BYTES + 1, 2_000_000])
def test_family_huge_names_are_rejected(shared_data: Path, tmp_path: Path, size: int) -> None:
    def patch(model, sub):
        sub.tensors[sub.outputs[0]].name = b"x\x00" * (size // 2) + b"x" * (size % 2)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "limit is 4096")


# (model, operator index, input position): required inputs of each op kind in the shared models
REQUIRED = [(HELLO, 0, 0), (HELLO, 0, 1), (KWS, 0, 0), (KWS, 0, 1), (KWS, 1, 0), (KWS, 1, 1),
            (KWS, 10, 0), (KWS, 11, 0), (KWS, 12, 0)]


@pytest.mark.parametrize("relative,op_index,position", REQUIRED)
def test_family_absent_required_input_is_rejected(shared_data: Path, tmp_path: Path,
                                                  relative: str, op_index: int,
                                                  position: int) -> None:
    def patch(model, sub):
        inputs = list(sub.operators[op_index].inputs)
        inputs[position] = -1
        sub.operators[op_index].inputs = np.array(inputs, np.int32)

    _rejected(_patched(shared_data, relative, patch), tmp_path, f"operator {op_index} (",
              f"input {position} is absent")


@pytest.mark.parametrize("count", [0, 4, 5])
def test_family_wrong_input_count_is_rejected(shared_data: Path, tmp_path: Path,
                                              count: int) -> None:
    def patch(model, sub):
        op = sub.operators[0]
        op.inputs = np.array((list(op.inputs) * 2)[:count], np.int32)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "operator 0 (FULLY_CONNECTED)",
              f"has {count} inputs")


def test_family_absent_optional_bias_compiles(shared_data: Path, tmp_path: Path) -> None:
    """Absent (-1) where TFLite allows it: the bias of FULLY_CONNECTED and CONV_2D."""
    def patch(model, sub):
        for op_index in (0, 1):
            inputs = list(sub.operators[op_index].inputs)
            inputs[2] = -1
            sub.operators[op_index].inputs = np.array(inputs, np.int32)

    _sanitizer_clean(_patched(shared_data, KWS, patch), tmp_path)


ZERO_POINTS = [128, -129, 255, 1 << 31, -(1 << 63), (1 << 63) - 1]


@pytest.mark.parametrize("zero_point", ZERO_POINTS)
@pytest.mark.parametrize("which", ["input", "weights", "output"])
def test_family_zero_point_out_of_range_is_rejected(shared_data: Path, tmp_path: Path,
                                                    zero_point: int, which: str) -> None:
    def patch(model, sub):
        op = sub.operators[0]
        index = {"input": op.inputs[0], "weights": op.inputs[1], "output": op.outputs[0]}[which]
        sub.tensors[index].quantization.zeroPoint = np.array([zero_point], np.int64)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "zero point", "for int8")


SCALES = [0.0, -1.0, float("nan"), float("inf"), 1e-45, 1e-35, 1e35, 3.4e38]


@pytest.mark.parametrize("scale", SCALES)
def test_family_scale_out_of_range_is_rejected(shared_data: Path, tmp_path: Path,
                                               scale: float) -> None:
    def patch(model, sub):
        sub.tensors[sub.operators[1].outputs[0]].quantization.scale = np.array([scale],
                                                                                np.float32)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "quantization scale")


def test_family_tiny_output_scale_with_relu6_is_rejected(shared_data: Path,
                                                         tmp_path: Path) -> None:
    """6 / scale beyond int32: TFLite's float-to-int conversion is undefined."""
    def patch(model, sub):
        op = sub.operators[0]
        op.builtinOptions.fusedActivationFunction = 3  # RELU6
        sub.tensors[op.outputs[0]].quantization.scale = np.array([1e-12], np.float32)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "operator 0 (FULLY_CONNECTED)",
              "too small for the fused RELU6")


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_family_non_finite_constant_is_rejected(shared_data: Path, tmp_path: Path,
                                                value: float) -> None:
    data = _patched(shared_data, "models/tflm_hello_world/hello_world_float.tflite",
                    lambda model, sub: _set_const(model, sub, 1, np.float32, value))
    _rejected(data, tmp_path, "NaN or infinite")


def _set_const(model, sub, op_input: int, dtype, value, op_index: int = 0) -> None:
    tensor = sub.tensors[sub.operators[op_index].inputs[op_input]]
    values = np.array(buffer_data(model, tensor), np.uint8).view(dtype).copy()
    values[: max(1, values.size // 2)] = value
    model.buffers[tensor.buffer].data = values.view(np.uint8)


# (model, op index): int8 conv (KWS 0), depthwise (KWS 1), fully connected (hello 0)
ACCUMULATING = [(KWS, 0, "CONV_2D"), (KWS, 1, "DEPTHWISE_CONV_2D"),
                (HELLO, 0, "FULLY_CONNECTED")]


@pytest.mark.parametrize("bias", [2**31 - 1, -(2**31), 2**31 - 1000])
@pytest.mark.parametrize("relative,op_index,op_type", ACCUMULATING)
def test_family_bias_overflowing_the_accumulator_is_rejected(
        shared_data: Path, tmp_path: Path, bias: int, relative: str, op_index: int,
        op_type: str) -> None:
    data = _patched(shared_data, relative,
                    lambda model, sub: _set_const(model, sub, 2, np.int32, bias, op_index))
    _rejected(data, tmp_path, f"operator {op_index} ({op_type})", "int32 accumulator")


@pytest.mark.parametrize("relative,op_index,op_type", ACCUMULATING)
def test_family_extreme_weights_and_zero_points_are_sanitizer_clean(
        shared_data: Path, tmp_path: Path, relative: str, op_index: int, op_type: str) -> None:
    """All weights -128, the input zero point at its limit and a huge output multiplier: the
    accumulator bound holds, so the model compiles and its C is defined for every input."""
    def patch(model, sub):
        op = sub.operators[op_index]
        _set_const(model, sub, 1, np.int8, -127, op_index)
        sub.tensors[op.inputs[0]].quantization.zeroPoint = np.array([127], np.int64)
        out = sub.tensors[op.outputs[0]].quantization
        out.scale = np.array([1e-9], np.float32)
        out.zeroPoint = np.array([-128], np.int64)
        op.builtinOptions.fusedActivationFunction = 0

    _sanitizer_clean(_patched(shared_data, relative, patch), tmp_path)


@pytest.mark.parametrize("field,value", [("padding", 2), ("padding", -1),
                                         ("fusedActivationFunction", 42)])
def test_family_unknown_enum_is_rejected(shared_data: Path, tmp_path: Path, field: str,
                                         value: int) -> None:
    def patch(model, sub):
        setattr(sub.operators[0].builtinOptions, field, value)

    _rejected(_patched(shared_data, KWS, patch), tmp_path, "operator 0 (CONV_2D)",
              "unknown value")


@pytest.mark.parametrize("beta", [float("nan"), float("inf")])
def test_family_non_finite_option_is_rejected(shared_data: Path, tmp_path: Path,
                                              beta: float) -> None:
    def patch(model, sub):
        sub.operators[-1].builtinOptions.beta = beta

    _rejected(_patched(shared_data, KWS, patch), tmp_path, "(SOFTMAX)", "beta")


@pytest.mark.parametrize("dim", [MAX_DIM + 1, 2**31 - 1])
@pytest.mark.parametrize("which", ["input", "output", "weights"])
def test_family_huge_dimension_is_rejected_before_writing(shared_data: Path, tmp_path: Path,
                                                          dim: int, which: str) -> None:
    def patch(model, sub):
        op = sub.operators[0]
        index = {"input": op.inputs[0], "weights": op.inputs[1], "output": op.outputs[0]}[which]
        shape = list(sub.tensors[index].shape)
        shape[0] = dim
        sub.tensors[index].shape = np.array(shape, np.int32)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "limit")


def test_family_too_many_elements_is_rejected(shared_data: Path, tmp_path: Path) -> None:
    def patch(model, sub):
        sub.tensors[sub.inputs[0]].shape = np.array([1 << 14, 1 << 13, 1], np.int32)

    message = _rejected(_patched(shared_data, HELLO, patch), tmp_path, "elements")
    assert f"{MAX_TENSOR_ELEMENTS:,}" in message


@pytest.mark.parametrize("change", ["inputs twice", "outputs twice", "output is input"])
def test_family_graph_io_duplicates_are_rejected(shared_data: Path, tmp_path: Path,
                                                 change: str) -> None:
    def patch(model, sub):
        if change == "inputs twice":
            sub.inputs = np.array([sub.inputs[0]] * 2, np.int32)
        elif change == "outputs twice":
            sub.outputs = np.array([sub.outputs[0]] * 2, np.int32)
        else:
            sub.outputs = np.array([sub.inputs[0]], np.int32)

    _rejected(_patched(shared_data, HELLO, patch), tmp_path, "graph")


WAND = "models/tflm_magic_wand/magic_wand.tflite"
# (model, op index, option field) of conv, depthwise, average- and max-pool window options
WINDOWS = [(KWS, 0, "dilationHFactor"), (KWS, 0, "strideW"), (KWS, 1, "dilationWFactor"),
           (KWS, 9, "filterHeight"), (KWS, 9, "strideH"), (WAND, 1, "filterWidth")]


@pytest.mark.parametrize("value", [(1 << 24) + 1, 2**31 - 1])
@pytest.mark.parametrize("relative,op_index,field", WINDOWS)
def test_family_huge_window_options_are_rejected(shared_data: Path, tmp_path: Path,
                                                 relative: str, op_index: int, field: str,
                                                 value: int) -> None:
    """Found by `make fuzz` (seed 2026, mutant 9692: a dilation of 2^31 - 1 gave a padding
    beyond int32 in the generated C)."""
    def patch(model, sub):
        setattr(sub.operators[op_index].builtinOptions, field, value)

    _rejected(_patched(shared_data, relative, patch), tmp_path, f"operator {op_index} (",
              "limit")
