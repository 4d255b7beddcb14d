"""compile_classical_pipeline: a fitted DSP block + a classical model + post-processing as one
C library with the streaming push API; its decisions equal the Python pipeline's (scikit-learn
through postprocess.StreamingPipeline) window for window, with averaging, detector threshold
and suppression; C99 with strict warnings on gcc and arm-none-eabi-gcc, clean under
ASan/UBSan."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from microforge.classical.trained import OneHotRunner, TrainedClassical
from microforge.errors import ConfigError
from microforge.library.classical_pipeline import compile_classical_pipeline
from microforge.postprocess import PostprocessParams, StreamingPipeline

RATE, WIN, STRIDE = 100.0, 64, 32


def _signal(seed: int, n: int = 3000) -> np.ndarray:
    """Two channels whose tone switches between three frequencies every ~5 windows."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / RATE
    freq = np.repeat(rng.choice([3.0, 11.0, 23.0], size=n // 160 + 1), 160)[:n]
    tone = np.sin(2 * np.pi * np.cumsum(freq) / RATE)
    return np.stack([tone, 0.5 * tone + 0.1 * rng.normal(size=n) + 0.01 * t],
                    axis=1).astype(np.float32)


def _block_and_features():
    from microforge.dsp import make_block

    sig = _signal(0)
    starts = range(0, len(sig) - WIN + 1, 16)
    windows = np.stack([sig[s:s + WIN] for s in starts])
    block = make_block("spectral", {}).fit(windows, RATE)
    x = np.asarray(block.transform(windows), np.float32).reshape(len(windows), -1)
    return block, x


def _models():
    from sklearn.ensemble import IsolationForest, RandomForestClassifier

    block, x = _block_and_features()
    y = np.argmax(x[:, :3], axis=1) % 3  # three classes from the features themselves
    rf = RandomForestClassifier(n_estimators=8, max_depth=5, random_state=0).fit(x, y)
    classifier = TrainedClassical(rf, "random_forest", "classifier", x.shape[1])
    iso = IsolationForest(n_estimators=10, random_state=0).fit(x[y == 0])
    scores = -iso.score_samples(x)
    detector = TrainedClassical(iso, "isolation_forest", "detector", x.shape[1],
                                float(np.quantile(scores, 0.6)))
    return block, classifier, detector


CASES = {
    "classifier, argmax": ("classifier", PostprocessParams(), ["a", "b", "c"]),
    "classifier, averaged detector": (
        "classifier", PostprocessParams("detector", 3, 0.6, 200.0, ("a",)), ["a", "b", "c"]),
    "detector, alarm": (
        "detector", PostprocessParams("detector", 4, 0.5, 300.0, ("normal",)),
        ["normal", "anomaly"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_c_stream_equals_the_python_pipeline(tmp_path: Path, case: str) -> None:
    from microforge.runners.pipeline_host import HostPipeline

    role, params, labels = CASES[case]
    block, classifier, detector = _models()
    model = classifier if role == "classifier" else detector
    library = compile_classical_pipeline(block, model, labels, STRIDE, params,
                                         tmp_path / "lib", name="cl")
    assert library.model is None and library.constants.classical_call is not None
    assert "cl.c" not in library.dsp_files + library.pipeline_files  # the "network" part
    host = HostPipeline(library)
    python = StreamingPipeline(block, OneHotRunner(model), labels, STRIDE, params)
    for seed in (1, 2):
        signal = _signal(seed)
        host.init()
        c = host.push(signal, chunk=37)
        assert c == python.run(signal)
        assert len(c) == len(range(WIN, len(signal) + 1, STRIDE))
    if params.mode == "argmax":  # k = 1: every label is the model's own decision
        windows = np.stack([signal[e - WIN:e] for e in (d.end_sample for d in c)])
        assert [d.label for d in c] == model.decide(block.transform(windows)).tolist()
        assert {d.score for d in c} == {1.0}
    else:
        assert any(d.detected for d in c) and not all(d.detected for d in c)


SANITIZER_MAIN = r"""
#include <stdio.h>
#include "cl_pipeline.h"

static FILE *out;

static void on_result(const mf_cl_result *r, void *user) {
    (void)user;
    fwrite(&r->end_sample, 4, 1, out);
    fwrite(&r->label, 4, 1, out);
    fwrite(&r->detected, 4, 1, out);
}

int main(int argc, char **argv) {
    static float buf[4096];
    static const size_t chunks[] = {2, 14, 300, 2048, 1000};
    mf_cl_result one;
    FILE *in;
    size_t k = 0, n;
    if (argc != 3 || (in = fopen(argv[1], "rb")) == NULL || (out = fopen(argv[2], "wb")) == NULL) {
        return 3;
    }
    if (mf_cl_pipeline_push_f32(buf, 2) != -1) {
        return 5; /* not initialised yet */
    }
    mf_cl_pipeline_init(on_result, NULL);
    while ((n = fread(buf, sizeof(float), chunks[k++ % 5], in)) > 0) {
        if (mf_cl_pipeline_push_f32(buf, n) < 0) {
            return 4;
        }
    }
    if (mf_cl_classify(buf, &one) != 0 || mf_cl_classify(NULL, &one) != -1) {
        return 6;
    }
    fclose(in);
    fclose(out);
    return 0;
}
"""


@pytest.mark.slow
def test_under_sanitizers_and_strict_warnings(tmp_path: Path) -> None:
    from microforge.runners.host import gcc_compile
    from microforge.runners.pipeline_host import HostPipeline

    block, classifier, _ = _models()
    params = PostprocessParams("detector", 3, 0.6, 200.0, ("a",))
    library = compile_classical_pipeline(block, classifier, ["a", "b", "c"], STRIDE, params,
                                         tmp_path / "lib", name="cl")
    (tmp_path / "lib" / "main.c").write_text(SANITIZER_MAIN, encoding="utf-8")
    exe = tmp_path / "asan"
    gcc_compile(tmp_path / "lib", exe, ["-O1", "-g", "-fsanitize=address,undefined",
                                        "-fno-sanitize-recover=all"])
    (tmp_path / "lib" / "main.c").unlink()
    signal = _signal(3)
    (tmp_path / "in.bin").write_bytes(signal.tobytes())
    done = subprocess.run([str(exe), str(tmp_path / "in.bin"), str(tmp_path / "out.bin")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "runtime error" not in done.stderr, done.stderr[:3000]
    raw = np.frombuffer((tmp_path / "out.bin").read_bytes(),
                        np.dtype([("end", "<u4"), ("label", "<i4"), ("det", "<i4")]))
    host = HostPipeline(library).run(signal)
    assert [(int(r["end"]), int(r["label"]), bool(r["det"])) for r in raw] \
        == [(d.end_sample, d.label, d.detected) for d in host]


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None,
                    reason="arm-none-eabi-gcc is not installed")
def test_builds_for_cortex_m_with_strict_warnings(tmp_path: Path) -> None:
    block, classifier, detector = _models()
    for model, labels in ((classifier, ["a", "b", "c"]), (detector, ["normal", "anomaly"])):
        library = compile_classical_pipeline(block, model, labels, STRIDE, PostprocessParams(),
                                             tmp_path / model.role, name="cl")
        sizes = library.sizes()  # -std=c99 -Wall -Wextra -Werror -pedantic, -Os, Cortex-M4F
        assert sizes.target == "cortex-m4"
        assert sizes.parts["network"].flash_bytes > 0 and sizes.parts["network"].ram_bytes == 0


def test_labels_must_match_the_model(tmp_path: Path) -> None:
    block, classifier, _ = _models()
    with pytest.raises(ConfigError, match="decides between 3 classes but labels.json has 2"):
        compile_classical_pipeline(block, classifier, ["a", "b"], STRIDE, PostprocessParams(),
                                   tmp_path / "lib", name="cl")
    assert not (tmp_path / "lib").exists()
