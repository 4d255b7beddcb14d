"""runtime/pipeline C (window buffer, post-processing, feature quantization) == the Python
post-processing, exactly, on synthetic streams: int8 scores and features, and int16 ones (a
16x8 network)."""

from __future__ import annotations

import ctypes
import shutil

import numpy as np
import pytest

from microforge.dsp.quantize import quantize_features
from microforge.library.pipeline_emit import PIPELINE_RUNTIME, PIPELINE_RUNTIME_DIR
from microforge.postprocess import PostProcessor, PostprocessParams, ScoreQuant, WindowAssembler
from microforge.runners.host import gcc_compile

HARNESS = r"""
#include <stddef.h>
#include "mf_feature_quant.h"
#include "mf_postprocess.h"
#include "mf_window_buffer.h"

int run_post(const void *scores, uint32_t score_bytes, const uint32_t *ends, uint32_t n_windows, uint32_t n_classes,
             uint32_t k, int32_t mode, float threshold, uint32_t suppression, int32_t zero_point,
             const float *factors, const uint8_t *ignore, int16_t *history, int32_t *sums,
             int32_t *labels, float *out_scores, int32_t *detected) {
    mf_postprocess p;
    mf_pp_result r;
    uint32_t i;
    p.factors = factors; p.ignore = ignore; p.history = history; p.sums = sums;
    p.threshold = threshold; p.suppression = suppression; p.zero_point = zero_point;
    p.score_bytes = score_bytes; p.n_classes = n_classes; p.k = k; p.mode = mode;
    mf_postprocess_reset(&p);
    for (i = 0; i < n_windows; ++i) {
        mf_postprocess_step(&p, (const char *)scores + (size_t)i * n_classes * score_bytes,
                            ends[i], &r);
        if (r.window != i || r.end_sample != ends[i]) return -1;
        labels[i] = r.label; out_scores[i] = r.score; detected[i] = r.detected;
    }
    return 0;
}

int run_windows(const float *x, const size_t *chunks, size_t n_chunks, uint32_t win_len,
                uint32_t channels, uint32_t stride, float *storage, float *windows,
                uint32_t *ends, int max_windows) {
    mf_window_buffer b;
    size_t c;
    int count = 0;
    mf_window_buffer_init(&b, storage, win_len, channels, stride);
    for (c = 0; c < n_chunks; ++c) {
        size_t frames = chunks[c];
        while (frames > 0) {
            int complete = 0;
            size_t used = mf_window_buffer_fill_f32(&b, x, frames, &complete);
            x += used * channels;
            frames -= used;
            if (complete) {
                size_t j;
                if (count >= max_windows) return -1;
                for (j = 0; j < (size_t)win_len * channels; ++j) {
                    windows[(size_t)count * win_len * channels + j] = b.frames[j];
                }
                ends[count++] = b.total;
                mf_window_buffer_advance(&b);
            }
        }
    }
    return count;
}

void quantize(const float *f, uint32_t n, float scale, int32_t zp, int32_t rounding,
              uint32_t bytes, void *out) {
    mf_quantize_features(f, n, scale, zp, rounding, bytes, out);
}
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    folder = tmp_path_factory.mktemp("pipeline_runtime")
    for stem in PIPELINE_RUNTIME:
        for ext in (".h", ".c"):
            shutil.copy2(PIPELINE_RUNTIME_DIR / f"{stem}{ext}", folder)
    (folder / "harness.c").write_text(HARNESS, encoding="utf-8")
    so = folder / "libharness.so"
    gcc_compile(folder, so, ["-O2", "-shared", "-fPIC"])
    return ctypes.CDLL(str(so))


def _ptr(array: np.ndarray) -> ctypes.c_void_p:
    return ctypes.c_void_p(array.ctypes.data)


def _run_c_post(lib: ctypes.CDLL, params: PostprocessParams, quant: ScoreQuant, scores,
                ends, labels: list[str], rate: float):
    n, k = len(scores), params.average_windows
    out_labels, out_scores = np.zeros(n, np.int32), np.zeros(n, np.float32)
    detected = np.zeros(n, np.int32)
    factors, ignore = params.score_factors(quant), params.ignore_flags(labels)
    history, sums = np.zeros(k * len(labels), np.int16), np.zeros(len(labels), np.int32)
    assert scores.dtype == quant.dtype
    args = [_ptr(scores), ctypes.c_uint32(quant.bytes), _ptr(ends), ctypes.c_uint32(n), ctypes.c_uint32(len(labels)),
            ctypes.c_uint32(k), ctypes.c_int32(int(params.mode == "detector")),
            ctypes.c_float(params.threshold_f32()),
            ctypes.c_uint32(params.suppression_samples(rate)), ctypes.c_int32(quant.zero_point),
            _ptr(factors), _ptr(ignore), _ptr(history), _ptr(sums), _ptr(out_labels),
            _ptr(out_scores), _ptr(detected)]
    assert lib.run_post(*args) == 0
    return out_labels, out_scores, detected.astype(bool)


PARAMS = [
    PostprocessParams(),
    PostprocessParams(average_windows=4),
    PostprocessParams("detector", 3, 0.55, 250.0, ("c2",)),
    PostprocessParams("detector", 64, 0.62, 0.0, ()),
    PostprocessParams("detector", 1, 0.0, 1000.0, ("c0", "c1")),
]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: f"{p.mode}-k{p.average_windows}")
@pytest.mark.parametrize("quant", [ScoreQuant(1 / 256, -128), ScoreQuant(0.0123, 7),
                                   ScoreQuant(1 / 32768, 0, 16), ScoreQuant(4.1e-5, 0, 16)],
                         ids=["int8-softmax", "int8", "int16-softmax", "int16"])
def test_post_processing_c_equals_python(runtime: ctypes.CDLL, params: PostprocessParams,
                                         quant: ScoreQuant) -> None:
    rng = np.random.default_rng(params.average_windows)
    labels = [f"c{i}" for i in range(5)]
    info = np.iinfo(quant.dtype)
    noise = (info.max + 1) // 20
    # slowly varying scores with plateaus, so the detector fires and is suppressed
    base = rng.integers(info.min, info.max + 1, size=(60, 5))
    scores = np.repeat(base, 5, axis=0)[:300] + rng.integers(-noise, noise + 1, size=(300, 5))
    scores = np.clip(scores, info.min, info.max).astype(quant.dtype)
    ends = (np.cumsum(rng.integers(1, 120, size=300)) + 400).astype(np.uint32)
    c_labels, c_scores, c_detected = _run_c_post(runtime, params, quant, scores, ends, labels,
                                                 1000.0)
    post = PostProcessor(params, labels, quant, 1000.0)
    py = [post.step(s, int(e)) for s, e in zip(scores, ends, strict=True)]
    np.testing.assert_array_equal(c_labels, [d.label for d in py])
    np.testing.assert_array_equal(c_scores, np.array([d.score for d in py], np.float32))
    np.testing.assert_array_equal(c_detected, [d.detected for d in py])
    if params.mode == "detector":
        assert 0 < c_detected.sum() < 300  # the stream exercises both outcomes


@pytest.mark.parametrize("win_len,channels,stride", [(16, 1, 4), (10, 3, 10), (5, 2, 9)])
def test_window_buffer_c_equals_python(runtime: ctypes.CDLL, win_len: int, channels: int,
                                       stride: int) -> None:
    rng = np.random.default_rng(win_len)
    chunks = rng.integers(0, 23, size=20).astype(np.uint64)
    n = int(chunks.sum())
    x = rng.standard_normal((n, channels)).astype(np.float32)
    max_windows = n // stride + 1
    windows = np.zeros((max_windows, win_len, channels), np.float32)
    ends = np.zeros(max_windows, np.uint32)
    storage = np.zeros(win_len * channels, np.float32)
    count = runtime.run_windows(_ptr(x), _ptr(chunks), ctypes.c_size_t(len(chunks)),
                                ctypes.c_uint32(win_len), ctypes.c_uint32(channels),
                                ctypes.c_uint32(stride), _ptr(storage), _ptr(windows),
                                _ptr(ends), ctypes.c_int(max_windows))
    want = WindowAssembler(win_len, channels, stride).push(x)
    assert count == len(want) > 0
    np.testing.assert_array_equal(ends[:count], [end for _, end in want])
    np.testing.assert_array_equal(windows[:count], np.stack([w for w, _ in want]))


@pytest.mark.parametrize("bits,scale,zero", [(8, 0.0371, -5), (16, 0.000371, 0)])
@pytest.mark.parametrize("rounding,code", [("nearest", 0), ("truncate", 1)])
def test_feature_quantization_c_equals_python(runtime: ctypes.CDLL, rounding: str, code: int,
                                              bits: int, scale: float, zero: int) -> None:
    rng = np.random.default_rng(code)
    dtype = np.int16 if bits == 16 else np.int8
    top = int(np.iinfo(dtype).max)
    f = rng.standard_normal(5000).astype(np.float32) * 3
    # values on and next to the rounding boundaries, beyond the integer range, and NaN
    q = np.concatenate([np.arange(-300, 300), np.arange(top - 300, top + 300),
                        np.arange(-top - 300, -top + 300)])
    halves = ((q + 0.5 - zero) * scale).astype(np.float32)
    f = np.concatenate([f, halves, np.nextafter(halves, np.float32(np.inf)),
                        [1e9, -1e9, np.nan]])
    f = f.astype(np.float32)
    out = np.zeros(f.size, dtype)
    runtime.quantize(_ptr(f), ctypes.c_uint32(f.size), ctypes.c_float(scale),
                     ctypes.c_int32(zero), ctypes.c_int32(code), ctypes.c_uint32(bits // 8),
                     _ptr(out))
    want = quantize_features(f, scale, zero, rounding, bits)
    assert want.dtype == dtype and want[-1] == zero and want.min() == -top - 1
    np.testing.assert_array_equal(out, want)
