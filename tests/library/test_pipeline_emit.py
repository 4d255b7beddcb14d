"""Generated streaming pipeline: rendering, strict compilation (gcc and arm-none-eabi-gcc), and
the C pipeline on the host equal to the Python StreamingPipeline on real speech."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.library.pipeline_emit import (
    PipelineConstants,
    c_float,
    render_pipeline,
)
from microforge.postprocess import PostprocessParams, ScoreQuant, StreamingPipeline
from microforge.runners.model_runners import TflmRunner
from tests.e2e.pipeline_data import KWS_LABELS, kws_block, kws_model, speech_recording

DETECTOR = PostprocessParams("detector", 3, 0.6, 750.0, ("_silence_", "_unknown_"))


def _constants(**changes) -> PipelineConstants:
    values = dict(name="kws", dsp_prefix="mf_kws_dsp", window_len=16000, channels=1,
                  stride=1600, n_features=490, sample_rate=16000.0, labels=tuple(KWS_LABELS),
                  input_quant=ScoreQuant(0.5847, 83), output_quant=ScoreQuant(1 / 256, -128),
                  input_in_arena=True, postprocess=DETECTOR)
    values.update(changes)
    return PipelineConstants(**values)


def test_c_float_literals_are_exact() -> None:
    for value in (0.1, 1 / 256, 3.0e-7, 12345.678, -2.5):
        literal = c_float(value)
        assert literal.endswith("f")
        assert np.float32(float.fromhex(literal[:-1])) == np.float32(value)


def test_rendered_constants() -> None:
    files = render_pipeline(_constants())
    header, body = files["kws_pipeline.h"], files["kws_pipeline.c"]
    assert "int mf_kws_pipeline_push(const int16_t *samples, size_t n);" in header
    assert "int mf_kws_pipeline_push_f32(const float *samples, size_t n);" in header
    assert "typedef mf_pp_result mf_kws_result;" in header
    assert "p->suppression = 12000u;" in body  # 750 ms at 16 kHz
    assert "p->mode = MF_PP_DETECTOR;" in body and "mf_kws_input0()" in body
    assert '"_silence_", "_unknown_"' in body
    assert "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1" in body  # ignored labels
    caller = render_pipeline(_constants(input_in_arena=False, rounding="truncate"))
    assert "mf_kws_invoke(input, mf_kws_pl_output)" in caller["kws_pipeline.c"]
    assert "MF_ROUND_TRUNCATE" in caller["kws_pipeline.c"]


def test_rendered_16x8_pipeline_has_int16_buffers() -> None:
    files = render_pipeline(_constants(input_quant=ScoreQuant(3.7e-4, 0, 16),
                                       output_quant=ScoreQuant(1 / 32768, 0, 16),
                                       input_in_arena=False))
    header, body = files["kws_pipeline.h"], files["kws_pipeline.c"]
    assert "typedef int16_t mf_kws_pipeline_score;" in header
    assert "static int16_t mf_kws_pl_input[PL_FEATURES];" in body
    assert "static int16_t mf_kws_pl_output[PL_CLASSES];" in body
    assert "MF_ROUND_NEAREST, 2u, input);" in body  # features quantized to int16
    assert body.count("score_bytes = 2u") == 2  # the stream and mf_kws_classify
    int8 = render_pipeline(_constants())
    assert "typedef int8_t mf_kws_pipeline_score;" in int8["kws_pipeline.h"]
    assert int8["kws_pipeline.c"].count("score_bytes = 1u") == 2


def test_constants_are_checked() -> None:
    with pytest.raises(ConfigError, match="not a C identifier"):
        _constants(name="my-model")
    with pytest.raises(ConfigError, match="rounding"):
        _constants(rounding="up")
    with pytest.raises(ConfigError, match=">= 1"):
        _constants(stride=0)
    with pytest.raises(ConfigError, match="zero point 0"):
        _constants(output_quant=ScoreQuant(1 / 32768, 5, 16))


@pytest.fixture(scope="module")
def kws_library(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    from microforge.library.assemble import compile_pipeline

    out = tmp_path_factory.mktemp("kws") / "lib"
    return compile_pipeline(kws_block(), kws_model(shared_data), KWS_LABELS, 1600, DETECTOR,
                            out, name="kws")


def test_library_compiles_strictly_for_cortex_m4(kws_library) -> None:
    arm = shutil.which("arm-none-eabi-gcc")
    if arm is None:
        pytest.skip("arm-none-eabi-gcc is not installed (make toolchain)")
    for source in sorted(kws_library.out_dir.glob("*.c")):
        cmd = [arm, "-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard",
               "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-c",
               str(source), "-I", str(kws_library.out_dir), "-o", "/dev/null"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    sizes = kws_library.sizes()
    assert set(sizes.parts) == {"dsp", "network", "pipeline"}
    # the window buffer (16,000 floats) dominates the pipeline's RAM; the arena the network's
    assert sizes.parts["pipeline"].ram_bytes >= 64_000
    assert sizes.parts["network"].ram_bytes >= kws_library.model.arena_size


def test_host_pipeline_equals_python_pipeline(kws_library, shared_data: Path) -> None:
    from microforge.runners.pipeline_host import HostPipeline

    pcm, placements = speech_recording(shared_data, ["yes", "stop", "bed"], 1, seed=1)
    host = HostPipeline(kws_library)
    c_decisions = host.push_int16(pcm, chunk=777)  # odd chunks: windows complete mid-push
    python = StreamingPipeline(kws_block(), TflmRunner(kws_model(shared_data)), KWS_LABELS,
                               1600, DETECTOR)
    py_decisions = python.push_int16(pcm)
    assert len(c_decisions) == (len(pcm) - 16000) // 1600 + 1
    assert [(d.end_sample, d.label, d.detected) for d in c_decisions] == \
        [(d.end_sample, d.label, d.detected) for d in py_decisions]
    np.testing.assert_allclose([d.score for d in c_decisions], [d.score for d in py_decisions],
                               atol=2 / 256)
    detected = [KWS_LABELS[d.label] for d in c_decisions if d.detected]
    assert "yes" in detected and "stop" in detected
    assert host.label(9) == "yes" and host.label(12) == "?"
    # float samples scaled as the WAV reader does give the same decisions as int16 samples
    host.init()
    floats = host.push(pcm.astype(np.float32) / 32768)
    assert floats == c_decisions
    host.init()  # sample by sample: the same windows and decisions
    assert host.push_int16(pcm[:24000], chunk=1) == c_decisions[:6]


SANITIZER_MAIN = r"""
#include <stdio.h>
#include "ms_pipeline.h"

static FILE *out;

static void on_result(const mf_ms_result *r, void *user) {
    (void)user;
    fwrite(&r->window, 4, 1, out);
    fwrite(&r->end_sample, 4, 1, out);
    fwrite(&r->label, 4, 1, out);
    fwrite(&r->score, 4, 1, out);
    fwrite(&r->detected, 4, 1, out);
}

int main(int argc, char **argv) {
    static float buf[4096];
    static const size_t chunks[] = {1, 7, 300, 2048, 1000};
    FILE *in;
    size_t k = 0, n;
    if (argc != 3 || (in = fopen(argv[1], "rb")) == NULL || (out = fopen(argv[2], "wb")) == NULL) {
        return 3;
    }
    if (mf_ms_pipeline_push_f32(buf, 1) != -1) {
        return 5; /* not initialised yet */
    }
    mf_ms_pipeline_init(on_result, NULL);
    if (mf_ms_pipeline_push_f32(NULL, 0) != 0) {
        return 6;
    }
    while ((n = fread(buf, sizeof(float), chunks[k++ % 5], in)) > 0) {
        if (mf_ms_pipeline_push_f32(buf, n) < 0) {
            return 4;
        }
    }
    fclose(in);
    fclose(out);
    return 0;
}
"""


@pytest.mark.slow
@pytest.mark.parametrize("stride", [300, 2500])  # overlapping windows, and gaps between them
def test_pipeline_under_sanitizers(shared_data: Path, tmp_path: Path, stride: int) -> None:
    """AddressSanitizer + UBSan over odd chunk sizes, both buffer paths; the decisions equal
    the ctypes host build's."""
    from microforge.dsp import make_block
    from microforge.library.assemble import compile_pipeline
    from microforge.runners.host import gcc_compile
    from microforge.runners.pipeline_host import HostPipeline

    block = make_block("raw", {"scale": 40.0}).fit(np.zeros((1, 1960, 1), np.float32), 1000.0)
    model = shared_data / "models/tflm_micro_speech/micro_speech_quantized.tflite"
    params = PostprocessParams("detector", 4, 0.3, 500.0, ("silence",))
    library = compile_pipeline(block, model, ["silence", "unknown", "yes", "no"], stride, params,
                               tmp_path / "lib", name="ms")
    (tmp_path / "lib" / "main.c").write_text(SANITIZER_MAIN, encoding="utf-8")
    exe = tmp_path / "pipeline_asan"
    gcc_compile(tmp_path / "lib", exe, ["-O1", "-g", "-fsanitize=address,undefined",
                                        "-fno-sanitize-recover=all"])
    (tmp_path / "lib" / "main.c").unlink()
    rng = np.random.default_rng(stride)
    signal = (np.cumsum(rng.standard_normal(30_000)) / 30).astype(np.float32)
    (tmp_path / "in.bin").write_bytes(signal.tobytes())
    done = subprocess.run([str(exe), str(tmp_path / "in.bin"), str(tmp_path / "out.bin")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "runtime error" not in done.stderr, done.stderr[:3000]
    raw = np.frombuffer((tmp_path / "out.bin").read_bytes(), np.dtype(
        [("window", "<u4"), ("end", "<u4"), ("label", "<i4"), ("score", "<f4"), ("det", "<i4")]))
    host = HostPipeline(library).run(signal)
    assert len(raw) == len(host) == len(range(1960, 30_001, stride))
    assert [(int(r["end"]), int(r["label"]), float(r["score"]), bool(r["det"])) for r in raw] \
        == [(d.end_sample, d.label, d.score, d.detected) for d in host]
