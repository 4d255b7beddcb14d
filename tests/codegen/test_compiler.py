"""compile_model: strict-C output, the generated API, errors before anything is written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.codegen import compiler
from microforge.errors import ConfigError, ModelError, UnsupportedOpError
from microforge.runners.host import WARNING_FLAGS, compile_and_load

HELLO = "models/tflm_hello_world/hello_world_int8.tflite"
KWS = "models/mlperf_kws/kws_ref_model.tflite"


def _gcc_objects(folder: Path, extra: list[str] | None = None) -> None:
    for source in sorted(folder.glob("*.c")):
        cmd = ["gcc", *WARNING_FLAGS, *(extra or []), "-O2", "-c", str(source), "-I", str(folder),
               "-o", str(source.with_suffix(".o"))]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_kws_output_compiles_warning_free(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "kws"
    compile_and_load(shared_data / KWS, out, "kws")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([
        "kws.c", "kws.h", "mf_common.h", "conv2d_s8.c", "conv2d_s8.h", "depthwise_conv2d_s8.c",
        "depthwise_conv2d_s8.h", "average_pool2d_s8.c", "average_pool2d_s8.h",
        "fully_connected_s8.c", "fully_connected_s8.h", "softmax_s8.c", "softmax_s8.h",
        "mf_requantize.h", "mf_simd32.h", "gemmlowp_fixedpoint.h"])
    _gcc_objects(out)
    source = (out / "kws.c").read_text()
    assert "malloc" not in source and "math.h" not in source
    assert "int mf_kws_invoke(const int8_t *input0, int8_t *output0)" in source
    header = (out / "kws.h").read_text()
    assert "#define MF_KWS_INPUT0_SHAPE { 1, 49, 10, 1 }" in header
    assert re.search(r"#define MF_KWS_ARENA_SIZE \d+", header)
    assert "#define MF_KWS_OUTPUT0_ZERO_POINT -128" in header
    # the only non-const global is the arena
    statics = re.findall(r"^static (?!const)(.*)$", source, flags=re.M)
    assert len(statics) == 1 and "mf_kws_arena" in statics[0]


def test_external_arena_links_with_callers_buffer(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "hw"
    model = compile_and_load(shared_data / HELLO, out, "hw")
    main = tmp_path / "main.c"
    main.write_text(
        '#include "hw.h"\n'
        "uint8_t mf_hw_arena[MF_HW_ARENA_SIZE];\n"
        "int main(void) { int8_t x[1] = {0}; int8_t y[1]; return mf_hw_invoke(x, y); }\n")
    exe = tmp_path / "hw_exe"
    cmd = ["gcc", *WARNING_FLAGS, "-DMF_HW_EXTERNAL_ARENA", "-I", str(out), str(main),
           *map(str, out.glob("*.c")), "-o", str(exe)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert subprocess.run([str(exe)]).returncode == 0
    assert model.arena_size > 0


def test_float_model_declares_float_api(shared_data: Path, tmp_path: Path) -> None:
    model = compile_and_load(shared_data / "models/tflm_hello_world/hello_world_float.tflite",
                          tmp_path / "f", "hwf")
    header = (tmp_path / "f" / "hwf.h").read_text()
    assert "int mf_hwf_invoke(const float *input0, float *output0);" in header
    assert "SCALE" not in header
    assert model.input_details(0)["dtype"] == "float32"


def test_all_unsupported_ops_in_one_error(shared_data: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = compiler.get_op
    monkeypatch.setattr(compiler, "get_op",
                        lambda t: None if t == "FULLY_CONNECTED" else real(t))
    out = tmp_path / "never"
    with pytest.raises(UnsupportedOpError) as info:
        compile_and_load(shared_data / HELLO, out)
    message = str(info.value)
    assert "\n" not in message
    for index in range(3):
        assert f"FULLY_CONNECTED (operator {index}, int8)" in message
    assert not out.exists()


def test_unknown_op_is_reported_before_the_graph_rules_it_trips(shared_data: Path,
                                                                 tmp_path: Path) -> None:
    """An op the compiler does not know, reading a tensor nothing produces (as an LSTM reads
    its state), is reported as itself, not as 'used before any operator produces it'."""
    from tests.fuzz.schema import pack, unpack

    model = unpack((shared_data / HELLO).read_bytes())
    sub = model.subgraphs[0]
    code = model.operatorCodes[sub.operators[0].opcodeIndex]
    code.builtinCode = code.deprecatedBuiltinCode = 15  # LSH_PROJECTION: not in TFLM either
    orphan = len(sub.tensors)
    state = type(sub.tensors[0])()
    state.shape, state.type, state.buffer, state.name = [1, 16], 9, 0, b"orphan_state"
    sub.tensors.append(state)
    sub.operators[0].inputs = list(sub.operators[0].inputs) + [orphan]
    with pytest.raises(UnsupportedOpError) as info:
        compiler.compile_model(pack(model), tmp_path / "never")
    assert "LSH_PROJECTION (operator 0, int8): no implementation" in str(info.value)
    assert "before any operator" not in str(info.value)


def test_failed_compile_keeps_previous_output(shared_data: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "keep"
    compile_and_load(shared_data / HELLO, out)
    before = (out / "model.c").read_text()
    monkeypatch.setattr(compiler, "render_sources", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        compile_and_load(shared_data / HELLO, out)
    assert (out / "model.c").read_text() == before


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


def test_bad_name_and_bad_file(shared_data: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="C identifier"):
        compile_and_load(shared_data / HELLO, tmp_path / "x", "my-model")
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"\0" * 64)
    with pytest.raises(ModelError):
        compile_and_load(bad, tmp_path / "y")


def test_arena_cap(shared_data: Path, tmp_path: Path) -> None:
    from microforge.errors import BoardFitError

    with pytest.raises(BoardFitError, match="arena"):
        compile_and_load(shared_data / KWS, tmp_path / "k", arena=1000)


def test_input_buffer_is_never_written(shared_data: Path, tmp_path: Path) -> None:
    model = compile_and_load(shared_data / KWS, tmp_path / "k")
    x = np.random.default_rng(0).integers(-128, 128, (1, 49, 10, 1), dtype=np.int8)
    model.set_input(0, x)
    kept = model._inputs[0].copy()
    model.invoke()
    np.testing.assert_array_equal(model._inputs[0], kept)


def test_cortex_m_build_is_warning_free(shared_data: Path, tmp_path: Path) -> None:
    import shutil

    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc is not installed (apt install gcc-arm-none-eabi)")
    out = tmp_path / "kws"
    compile_and_load(shared_data / KWS, out, "kws")
    for source in sorted(out.glob("*.c")):
        cmd = ["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-Os", *WARNING_FLAGS, "-c",
               str(source), "-I", str(out), "-o", str(tmp_path / f"{source.stem}.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_inputs_in_arena_api_and_results(shared_data: Path, tmp_path: Path) -> None:
    from microforge.runners.tflm import run_tflm_batch
    from tests.ops.tflite_build import random_inputs

    path = shared_data / KWS
    model = compile_and_load(path, tmp_path / "k", "kws", inplace_input=True)
    header = (tmp_path / "k" / "kws.h").read_text()
    assert "int8_t *mf_kws_input0(void);" in header
    assert "int mf_kws_invoke(int8_t *output0);" in header
    separate = compile_and_load(path, tmp_path / "s", "kws")
    # the input now shares the arena: total RAM drops by at least part of the input buffer
    assert model.arena_size < separate.arena_size + 490
    samples = random_inputs(path.read_bytes(), 5, seed=2)
    for sample, ref in zip(samples, run_tflm_batch(path.read_bytes(), samples), strict=True):
        np.testing.assert_array_equal(model.run(sample)[0], ref[0])
    _gcc_objects(tmp_path / "k")


def test_io_in_arena_api_and_results(shared_data: Path, tmp_path: Path) -> None:
    from microforge.runners.tflm import run_tflm_batch
    from tests.ops.tflite_build import random_inputs

    path = shared_data / KWS
    model = compile_and_load(path, tmp_path / "k", "kws", inplace_input=True, inplace_output=True)
    assert model.info.inputs_in_arena and model.info.outputs_in_arena
    header = (tmp_path / "k" / "kws.h").read_text()
    assert "int8_t *mf_kws_input0(void);" in header
    assert "int8_t *mf_kws_output0(void);" in header
    assert "int mf_kws_invoke(void);" in header
    inputs_only = compile_and_load(path, tmp_path / "i", "kws", inplace_input=True)
    # the 12-byte output fits in arena bytes free at the end: no bigger arena, no output buffer
    assert model.arena_size == inputs_only.arena_size
    samples = random_inputs(path.read_bytes(), 4, seed=3)
    for sample, ref in zip(samples, run_tflm_batch(path.read_bytes(), samples), strict=True):
        np.testing.assert_array_equal(model.run(sample)[0], ref[0])
    _gcc_objects(tmp_path / "k")


def test_outputs_in_arena_keep_caller_inputs(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / HELLO
    model = compile_and_load(path, tmp_path / "h", "hw", inplace_output=True)
    header = (tmp_path / "h" / "hw.h").read_text()
    assert "int mf_hw_invoke(const int8_t *input0);" in header
    assert "int8_t *mf_hw_output0(void);" in header
    reference = compile_and_load(path, tmp_path / "r", "hw")
    checked = model.sanitized()
    for value in (-128, -5, 0, 64, 127):
        x = np.array([[value]], np.int8)
        expected = reference.run([x])[0]
        np.testing.assert_array_equal(model.run([x])[0], expected)
        np.testing.assert_array_equal(checked.run([x])[0], expected)


def test_several_inputs_and_outputs(tf, tflm, tmp_path: Path) -> None:
    from tests.ops.tflite_build import build_tflite
    from tests.ops.tflm_compare import assert_matches_tflm

    rng = np.random.default_rng(0)
    w1 = tf.constant(rng.normal(0, 0.3, (6, 4)).astype(np.float32))
    w2 = tf.constant(rng.normal(0, 0.3, (5, 3)).astype(np.float32))

    def fn(a, b):
        return tf.nn.softmax(tf.matmul(a, w1)), tf.matmul(b, w2)

    for mode in ("int8", "float"):
        model = build_tflite(fn, [(1, 6), (2, 5)], mode)
        assert_matches_tflm(model, tmp_path / mode)
        header = (tmp_path / mode / "op.h").read_text()
        c_type = "int8_t" if mode == "int8" else "float"
        assert (f"int mf_op_invoke(const {c_type} *input0, const {c_type} *input1, "
                f"{c_type} *output0, {c_type} *output1);") in header


def test_io_in_arena_runs_on_the_mcu(shared_data: Path, tmp_path: Path) -> None:
    """verify/mcu.py's app writes the inputs and reads the outputs through the accessors."""
    from microforge.runners.mcu import model_app_c, run_model_on_mcu
    from microforge.runners.tflm import run_tflm_batch
    from microforge.targets.toolchain import toolchain_available

    path = shared_data / HELLO
    model = compile_and_load(path, tmp_path / "hw", "hw", inplace_input=True, inplace_output=True)
    app = model_app_c(model.info, 3)
    assert "mf_hw_invoke()" in app and "mf_hw_output0()" in app and "mf_hw_input0()" in app
    if not toolchain_available("arm"):
        pytest.skip("no arm-none-eabi-gcc")
    samples = [[np.array([[v]], np.int8)] for v in (-128, -3, 0, 77, 127)]
    result = run_model_on_mcu(model, "nucleo_l4r5zi", samples, work_dir=tmp_path / "mcu")
    for ours, ref in zip(result.outputs, run_tflm_batch(path.read_bytes(), samples),
                         strict=True):
        np.testing.assert_array_equal(ours[0], ref[0])
