"""The model-blob mode: same results as baked and as TFLM, retrained blobs on the same code,
incompatible blobs refused before anything is read, strict C, sanitizers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.blob import BLOB_STATUS, HEADER_SIZE, read_blob_header
from microforge.codegen.compiler import compile_model
from microforge.errors import ConfigError
from microforge.runners.host import WARNING_FLAGS, CompiledModel
from microforge.runners.tflm import run_tflm_batch
from tests.codegen.blob_models import ds_cnn
from tests.ops.tflite_build import random_inputs

KWS = "models/mlperf_kws/kws_ref_model.tflite"
SLOW = pytest.mark.slow
SHARED = ["models/mlperf_kws/kws_ref_model.tflite",
          "models/tflm_micro_speech/micro_speech_quantized.tflite",
          "models/tflm_hello_world/hello_world_int8.tflite",
          pytest.param("models/mlperf_ad/ad01_int8.tflite", marks=SLOW),
          pytest.param("models/mlperf_ic/pretrainedResnet_quant.tflite", marks=SLOW),
          pytest.param("models/tflm_magic_wand/magic_wand.tflite", marks=SLOW),
          pytest.param("models/mlperf_ad/ad01_fp32.tflite", marks=SLOW)]
STATUS = {name: code for code, name in BLOB_STATUS.items()}


def _assert_same(ours: list[np.ndarray], ref: list[np.ndarray], what: str) -> None:
    for a, b in zip(ours, ref, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape, what
        if a.dtype == np.float32:  # float: TFLM's reference kernels within 1e-5
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=what)
        else:
            assert np.array_equal(a, b), f"{what}: {int((a != b).sum())} values differ"


@pytest.mark.parametrize("model", SHARED, ids=lambda m: Path(m).stem)
def test_blob_equals_baked_and_tflm(shared_data: Path, tflm, tmp_path: Path,
                                    model: str) -> None:
    path = shared_data / model
    data = path.read_bytes()
    blob = compile_model(path, tmp_path / "blob", "m", weights="blob")
    baked = compile_model(path, tmp_path / "baked", "m")
    assert blob.weights == "blob" and blob.blob is not None and blob.abi_hash is not None
    assert (tmp_path / "blob" / "m.blob").read_bytes() == blob.blob
    assert read_blob_header(blob.blob)["abi_hash"] == blob.abi_hash
    source = (tmp_path / "blob" / "m.c").read_text()
    assert "mf_m_set_blob" in source and "malloc" not in source
    samples = random_inputs(data, 3, seed=5)
    reference = run_tflm_batch(data, samples)
    ours_blob, ours_baked = CompiledModel(blob), CompiledModel(baked)
    for i, (sample, ref) in enumerate(zip(samples, reference, strict=True)):
        from_blob = ours_blob.run(sample)
        from_baked = ours_baked.run(sample)
        for a, b in zip(from_blob, from_baked, strict=True):
            assert np.array_equal(a, b), f"sample {i}: blob and baked differ"
        _assert_same(from_blob, ref, f"sample {i} vs TFLM")


@pytest.fixture(scope="module")
def retrained(tf) -> tuple[bytes, bytes, bytes]:
    """(model, the same architecture retrained, another architecture)."""
    return ds_cnn(0), ds_cnn(1), ds_cnn(2, channels=12)


def test_retrained_blob_runs_on_the_same_code_bit_exact(tflm, retrained, tmp_path: Path) -> None:
    first, second, _ = retrained
    firmware = compile_model(first, tmp_path / "fw", "net", weights="blob")
    update = compile_model(second, tmp_path / "update", "other_name", weights="blob")
    assert update.blob is not None and firmware.blob is not None
    assert update.abi_hash == firmware.abi_hash  # the model name does not matter
    assert update.blob != firmware.blob
    model = CompiledModel(firmware)
    samples = random_inputs(second, 8, seed=3)
    before = model.run(samples[0])
    assert model.set_blob(update.blob) == STATUS["ok"]
    for i, (sample, ref) in enumerate(zip(samples, run_tflm_batch(second, samples),
                                          strict=True)):
        _assert_same(model.run(sample), ref, f"retrained sample {i}")
    assert model.set_blob(firmware.blob) == STATUS["ok"]
    _assert_same(model.run(samples[0]), before, "back to the first blob")


def test_retrained_16x8_blob_runs_on_the_same_code_bit_exact(tf, tflm, tmp_path: Path) -> None:
    """16x8 (int16 activations, int64 biases): a retraining's blob on the first one's code."""
    first, second = ds_cnn(0, mode="16x8"), ds_cnn(1, mode="16x8")
    firmware = compile_model(first, tmp_path / "fw", "net", weights="blob")
    update = compile_model(second, tmp_path / "update", "net", weights="blob")
    assert update.blob is not None and update.abi_hash == firmware.abi_hash
    model = CompiledModel(firmware)
    assert model.set_blob(update.blob) == STATUS["ok"]
    samples = random_inputs(second, 6, seed=4)
    for i, (sample, ref) in enumerate(zip(samples, run_tflm_batch(second, samples),
                                          strict=True)):
        _assert_same(model.run(sample), ref, f"16x8 retrained sample {i}")


def test_incompatible_and_malformed_blobs_are_refused(retrained, tmp_path: Path) -> None:
    first, _, other = retrained
    firmware = compile_model(first, tmp_path / "fw", "net", weights="blob")
    wrong = compile_model(other, tmp_path / "other", "net", weights="blob")
    assert firmware.blob is not None and wrong.blob is not None
    assert wrong.abi_hash != firmware.abi_hash
    model = CompiledModel(firmware)
    sample = random_inputs(first, 1, seed=1)[0]
    good = model.run(sample)
    blob = firmware.blob
    bad_magic = b"XXXX" + blob[4:]
    bad_format = blob[:4] + b"\x02\x00" + blob[6:]
    bad_size = blob[:8] + (len(blob) + 8).to_bytes(4, "little") + blob[12:]
    flipped_hash = blob[:20] + bytes([blob[20] ^ 1]) + blob[21:]
    cases = [("abi_mismatch", wrong.blob), ("abi_mismatch", flipped_hash),
             ("truncated", blob[:-1]), ("too_short", blob[:10]), ("bad_magic", bad_magic),
             ("bad_format", bad_format), ("bad_size", bad_size)]
    for reason, data in cases:
        assert model.set_blob(data) == STATUS[reason], reason
        with pytest.raises(RuntimeError, match=f"returned {STATUS['not_set']}"):
            model.invoke()  # a refused blob leaves the model without one
    assert model.set_blob(blob) == STATUS["ok"]
    np.testing.assert_array_equal(model.run(sample)[0], good[0])


def test_misaligned_and_missing_blob_in_c(retrained, tmp_path: Path) -> None:
    """What only C can show: a misaligned pointer, NULL, invoke before any blob."""
    out = tmp_path / "fw"
    compile_model(retrained[0], out, "net", weights="blob")
    main = tmp_path / "main.c"
    main.write_text("""#include <stdio.h>
#include <string.h>
#include "net.h"
static union { uint64_t align; uint8_t bytes[@SIZE@ + 8]; } buf;
int main(void) {
    int8_t in[MF_NET_INPUT0_SIZE] = {0}, out[MF_NET_OUTPUT0_SIZE];
    FILE *f = fopen("@FILE@", "rb");
    size_t n = fread(buf.bytes + 1, 1, @SIZE@, f);
    fclose(f);
    printf("%d ", mf_net_invoke(in, out));
    printf("%d ", mf_net_set_blob(NULL, 100));
    printf("%d ", mf_net_set_blob(buf.bytes + 1, n));
    memmove(buf.bytes, buf.bytes + 1, n);
    printf("%d ", mf_net_set_blob(buf.bytes, n));
    printf("%d\\n", mf_net_invoke(in, out));
    return 0;
}
""".replace("@SIZE@", "MF_NET_BLOB_SIZE").replace("@FILE@", str(out / "net.blob")))
    exe = tmp_path / "main"
    subprocess.run(["gcc", *WARNING_FLAGS, "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-I", str(out), str(main),
                    *map(str, sorted(out.glob("*.c"))), "-o", str(exe), "-lm"], check=True)
    result = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    assert result.stdout.split() == [str(STATUS[s]) for s in
                                     ("not_set", "too_short", "misaligned", "ok", "ok")]
    assert "runtime error" not in result.stderr


@pytest.mark.slow
def test_blob_mode_under_sanitizers(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / KWS
    info = compile_model(path, tmp_path / "kws", "kws", weights="blob")
    model = CompiledModel(info)
    sanitized = model.sanitized()
    for sample in random_inputs(path.read_bytes(), 2, seed=9):
        np.testing.assert_array_equal(sanitized.run(sample)[0], model.run(sample)[0])
    assert info.blob is not None
    sanitized.set_blob(info.blob[:HEADER_SIZE + 4])  # truncated: refused, no read past it
    with pytest.raises(RuntimeError, match=r"failed \(6\)"):
        sanitized.invoke()


def test_blob_output_is_strict_c_on_gcc_and_cortex_m(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "kws"
    compile_model(shared_data / KWS, out, "kws", weights="blob")
    header = (out / "kws.h").read_text()
    assert "#define MF_KWS_GRAPH_ABI_HASH {" in header
    assert "#define MF_KWS_INPUT0_SCALE (mf_kws_input0_scale())" in header  # not baked
    compilers = [["gcc", "-O2"]]
    if shutil.which("arm-none-eabi-gcc"):
        compilers.append(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-Os"])
    for cc in compilers:
        for source in sorted(out.glob("*.c")):
            result = subprocess.run([*cc, *WARNING_FLAGS, "-c", str(source), "-I", str(out),
                                     "-o", str(tmp_path / f"{source.stem}.o")],
                                    capture_output=True, text=True)
            assert result.returncode == 0, f"{cc[0]}: {result.stderr}"


def test_blob_io_quantization_comes_from_the_blob(retrained, tmp_path: Path) -> None:
    first, second, _ = retrained
    info = compile_model(first, tmp_path / "fw", "net", weights="blob")
    update = compile_model(second, tmp_path / "up", "net", weights="blob")
    assert update.blob is not None
    model = CompiledModel(info)
    lib = model._library()
    import ctypes

    scale = lib.mf_net_input0_scale
    scale.restype = ctypes.c_float
    zero = lib.mf_net_input0_zero_point
    zero.restype = ctypes.c_int32
    assert scale() == pytest.approx(info.inputs[0].scale, rel=1e-7)
    assert zero() == info.inputs[0].zero_point
    model.set_blob(update.blob)
    assert scale() == pytest.approx(update.inputs[0].scale, rel=1e-7)
    assert zero() == update.inputs[0].zero_point
    assert update.inputs[0].scale != info.inputs[0].scale


def test_unknown_weights_mode_is_a_config_error(shared_data: Path) -> None:
    with pytest.raises(ConfigError, match="weights must be one of baked, blob"):
        compile_model(shared_data / KWS, None, "kws", weights="flash")


def _emission(*statements: str, const: np.ndarray | None = None):
    from microforge.codegen.emitter import CEmitter

    emitter = CEmitter(None, "mf_m", {}, {}, {}, dedupe=False)  # type: ignore[arg-type]
    emitter.begin_op(0, "ADD")
    symbol = emitter.const("w", const) if const is not None else ""
    for s in statements:
        emitter.call(s.replace("@W", symbol))
    return emitter


def test_plan_blob_moves_what_differs_and_refuses_code_that_differs() -> None:
    from microforge.codegen.blob import HEADER_SIZE, plan_blob
    from microforge.errors import ModelError

    w1, w2 = np.arange(4, dtype=np.int8), np.arange(4, dtype=np.int8)[::-1].copy()
    base = _emission("{ static const mf_add_params p = {1, 7, @W}; mf_add(&p); }", const=w1)
    other = _emission("{ static const mf_add_params p = {1, -9, @W}; mf_add(&p); }", const=w2)
    plan = plan_blob(base, [other], [], 64, {})
    (statement,) = plan.statements[0]
    assert statement == "{ const mf_add_params p = {1, mf_m_blob_i32(68), mf_m_w_0}; mf_add(&p); }"
    assert list(plan.blob_consts) == ["mf_m_w_0"] and plan.blob_consts["mf_m_w_0"].offset == \
        HEADER_SIZE
    blob = plan.blob_bytes()
    assert blob[HEADER_SIZE:HEADER_SIZE + 4] == w1.tobytes()
    assert int.from_bytes(blob[68:72], "little", signed=True) == 7
    # the same values everywhere: stays in the code, static
    same = plan_blob(base, [base], [], 64, {})
    assert same.statements[0][0].startswith("{ static const") and not same.blob_consts
    with pytest.raises(ModelError, match=r"operator 0 \(ADD\): the generated code depends"):
        plan_blob(base, [_emission("{ static const mf_add_params p = {1, 7, 8, @W}; "
                                   "mf_add(&p); }", const=w1)], [], 64, {})


def test_a_perturbation_the_model_cannot_take_is_one_line(shared_data: Path, monkeypatch,
                                                          tmp_path: Path) -> None:
    from microforge.codegen import compiler
    from microforge.errors import ModelError

    def failing(graph, seed):
        raise ModelError("operator 3 (CONV_2D): output scale 0 is too small")

    monkeypatch.setattr(compiler, "perturbed_graph", failing)
    with pytest.raises(ModelError, match="could not compile the model with other trained "
                                         r"values \(operator 3 .*--weights baked"):
        compile_model(shared_data / KWS, tmp_path / "out", "kws", weights="blob")
    assert not (tmp_path / "out").exists()
