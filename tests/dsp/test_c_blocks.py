"""Python block == generated C block, on real data, with the tolerance stated per block.

Tolerance: max |C - Python| over every window, divided by the feature's range (max - min over
the windows), for the worst feature. Measured figures (gcc -O2, x86-64) are in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from microforge.dsp import make_block
from microforge.runners.dsp_host import CompiledDsp
from tests.dsp.c_data import cwru_windows, har_windows, speech_clips

# (block, params, dataset, tolerance relative to range); measured worst in the comment
CASES = [
    ("raw", {}, "har", 0.0),  # measured 0: bit-exact
    ("raw", {"normalize": True, "scale": 2.0}, "har", 0.0),  # measured 0: bit-exact
    ("spectral", {}, "har", 1e-3),  # measured 1.4e-4 (log band energy)
    ("spectral", {"filter_type": "high", "filter_cutoff_hz": 0.3, "fft_length": 64}, "har",
     1e-3),  # measured 1.2e-4 (Welch, 3 frames)
    # float32 IIR noise in the stop band shows in ln(band energy): measured 2.2e-3
    ("spectral", {"filter_type": "low", "filter_cutoff_hz": 15.0}, "har", 5e-3),
    ("spectral", {}, "cwru", 1e-3),  # measured 3.4e-6
    ("spectral", {"fft_length": 256, "filter_type": "low", "filter_cutoff_hz": 3000.0}, "cwru",
     1e-3),  # measured 9.8e-5
    # no amplitude normalisation: quiet clips put ln(mel + 1e-6) near float32 noise
    ("mfe", {"frame_length_ms": 25, "frame_step_ms": 10, "n_mels": 32}, "speech",
     2e-4),  # measured 4.6e-5
    ("mfcc", {"preset": "mlperf_kws"}, "speech", 5e-5),  # measured 7.8e-6
    ("mfcc", {"n_mels": 26, "n_mfcc": 13, "lifter": 22.0, "spectrum": "power",
              "normalize": True, "log_mode": "clamp", "window": "hamming"}, "speech", 1e-4),  # measured 3.6e-6
]
RATES = {"har": 50.0, "cwru": 12000.0, "speech": 16000.0}


@pytest.fixture(scope="module")
def datasets(shared_data):
    return {
        "har": har_windows(shared_data, limit=400),
        "cwru": cwru_windows(shared_data, per_file=8),
        "speech": speech_clips(shared_data, limit=40)[0],
    }


def relative_error(c: np.ndarray, py: np.ndarray, spread_of: np.ndarray | None = None) -> float:
    """Worst feature's max |C - Python| divided by that feature's range over the windows
    (over `spread_of`, Python features of more windows, when given)."""
    flat_c, flat_py = c.reshape(len(c), -1), py.reshape(len(py), -1)
    ref = flat_py if spread_of is None else spread_of.reshape(len(spread_of), -1)
    spread = ref.max(axis=0) - ref.min(axis=0)
    error = np.abs(flat_c - flat_py).max(axis=0)
    return float(np.max(error / np.maximum(spread, 1e-6 * max(float(spread.max()), 1e-30))))


def fitted(name: str, params: dict, x: np.ndarray, rate: float):
    return make_block(name, params).fit(x[: max(1, len(x) // 2)], rate)  # fit on half, as train


@pytest.mark.parametrize(("name", "params", "data", "tolerance"), CASES)
def test_c_block_equals_python_block_on_real_data(datasets, name, params, data, tolerance):
    x = datasets[data]
    block = fitted(name, params, x, RATES[data])
    expected = block.transform(x)
    got = CompiledDsp(block.emit_c("mf_test_dsp")).transform(x)
    assert got.shape == expected.shape
    if tolerance == 0.0:
        np.testing.assert_array_equal(got, expected)
    else:
        assert relative_error(got, expected) <= tolerance


@pytest.mark.parametrize(("name", "params", "data"), [
    (n, p, d) if i in (0, 4) else pytest.param(n, p, d, marks=pytest.mark.slow)
    for i, (n, p, d, _) in enumerate(CASES[1:2] + CASES[4:5] + CASES[-3:])
])
def test_sanitized_run_agrees(datasets, name, params, data):
    x = datasets[data][:3]
    block = fitted(name, params, datasets[data], RATES[data])
    compiled = CompiledDsp(block.emit_c("mf_asan_dsp"))
    plain = compiled.transform(x)
    np.testing.assert_allclose(compiled.sanitized().transform(x), plain, rtol=1e-6, atol=1e-6)


# Fixed point (q31 FFT, q15 filterbank) against the float C block, same windows: stated bound
# 5e-4 of each feature's range; measured 1.1e-4 (KWS MFCC), 1.2e-4 (MFE), 1.2e-4 (MFCC power),
# 1.2e-4 (spectral HAR), 6.6e-7 (spectral CWRU).
FIXED_POINT_BOUND = 5e-4
FIXED_CASES = [CASES[2], CASES[3], CASES[5], CASES[-3], CASES[-2],
               ("mfcc", {"n_mels": 26, "n_mfcc": 13, "spectrum": "power", "normalize": True},
                "speech", None)]


@pytest.mark.parametrize(("name", "params", "data"), [
    c[:3] if i in (0, 4) else pytest.param(*c[:3], marks=pytest.mark.slow)
    for i, c in enumerate(FIXED_CASES)
])
def test_fixed_point_within_its_bound_of_float(datasets, name, params, data):
    x = datasets[data]
    block = fitted(name, params, x, RATES[data])
    floating = CompiledDsp(block.emit_c("mf_float_dsp")).transform(x)
    fixed_c = block.emit_c("mf_fixed_dsp", fixed_point=True)
    assert fixed_c.fixed_point
    fixed = CompiledDsp(fixed_c).transform(x)
    assert relative_error(fixed, floating) <= FIXED_POINT_BOUND
    assert relative_error(fixed, block.transform(x)) <= FIXED_POINT_BOUND


@pytest.mark.parametrize(("name", "params", "data"), [FIXED_CASES[0][:3], FIXED_CASES[4][:3]])
def test_fixed_point_with_32_bit_multiplies_only(datasets, name, params, data):
    """The Armv6-M (Cortex-M0+) product path, built on the host with MF_DSP_MUL32."""
    x = datasets[data]
    block = fitted(name, params, x, RATES[data])
    fixed = CompiledDsp(block.emit_c("mf_m0_dsp", fixed_point=True), cflags=("-DMF_DSP_MUL32",))
    assert relative_error(fixed.transform(x), block.transform(x)) <= FIXED_POINT_BOUND
    np.testing.assert_allclose(fixed.sanitized().transform(x[:2]), fixed.transform(x[:2]),
                               rtol=1e-6, atol=1e-6)


def test_fixed_point_sanitized(datasets):
    x = datasets["speech"][:2]
    block = fitted("mfcc", {"preset": "mlperf_kws"}, datasets["speech"], RATES["speech"])
    compiled = CompiledDsp(block.emit_c("mf_fixed_dsp", fixed_point=True))
    np.testing.assert_allclose(compiled.sanitized().transform(x), compiled.transform(x),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("fixed_point", [False, True])
@pytest.mark.parametrize(("name", "params", "data", "tolerance"),
                         [CASES[1], CASES[4], CASES[5], CASES[-3], CASES[-2], CASES[-1]])
def test_c_block_equals_python_block_on_the_emulated_cortex_m4(datasets, name, params, data,
                                                                 tolerance, fixed_point, tmp_path):
    from microforge.runners.dsp_mcu import run_dsp_on_mcu
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    everything = datasets[data]
    x = everything[:12] if data == "speech" else everything  # 1 s clips are slow to emulate
    block = fitted(name, params, everything, RATES[data])
    result = run_dsp_on_mcu(block.emit_c("mf_m4_dsp", fixed_point=fixed_point), "nucleo_l4r5zi",
                            x, work_dir=tmp_path)
    expected = block.transform(x)
    spread_of = block.transform(everything)
    assert result.features.shape == expected.shape
    assert len(result.instructions) == len(x) and min(result.instructions) > 0
    bound = max(tolerance, FIXED_POINT_BOUND) if fixed_point else tolerance
    if bound == 0.0:
        np.testing.assert_array_equal(result.features, expected)
    else:
        assert relative_error(result.features, expected, spread_of) <= bound


# More parameter combinations (channel selection, peak normalisation, no window, symmetric
# window, ortho DCT, linear bands, odd filter order, Welch/zero padding...): float and fixed
# point within the fixed-point bound of Python; measured worst 1.4e-4 (fixed), 3.7e-5 (float).
VARIANTS = [
    ("mfe", {"channel": 1, "amplitude_norm": "peak", "window": "none"}, "speech2"),
    ("mfe", {"window_periodic": False, "fft_length": 1024, "n_mels": 64, "fmin": 0.0,
             "fmax": 7000.0}, "speech"),
    ("mfcc", {"channel": 0, "n_mels": 20, "n_mfcc": 20, "dct_norm": "ortho"}, "speech2"),
    ("spectral", {"statistics": [], "n_peaks": 0, "band_edges_hz": [0, 2, 5, 10, 25],
                  "band_scale": "linear", "window": "none", "normalize": False}, "har"),
    ("spectral", {"statistics": ["kurtosis", "rms"], "n_peaks": 5, "n_bands": 0,
                  "remove_mean": False, "scale": 9.81, "window": "hamming"}, "har"),
    ("spectral", {"fft_length": 32, "filter_type": "high", "filter_cutoff_hz": 1.0,
                  "filter_order": 5}, "har"),
    ("spectral", {"fft_length": 2048}, "cwru"),
    ("raw", {"scale": 0.5}, "har"),
]


@pytest.mark.slow
@pytest.mark.parametrize("fixed_point", [False, True])
@pytest.mark.parametrize(("name", "params", "data"), VARIANTS)
def test_parameter_variants(datasets, name, params, data, fixed_point):
    if data == "speech2":  # two channels: the clip and a quieter reversed copy
        x = np.concatenate([datasets["speech"], 0.5 * datasets["speech"][::-1]], axis=-1)
    else:
        x = datasets[data]
    block = fitted(name, params, x, RATES[data.rstrip("2")])
    got = CompiledDsp(block.emit_c("mf_variant_dsp", fixed_point=fixed_point)).transform(x)
    assert relative_error(got, block.transform(x)) <= FIXED_POINT_BOUND


@pytest.mark.slow
@pytest.mark.parametrize(("board", "arch"),
                         [("raspberry_pi_pico", "arm"), ("esp32_c3", "riscv")])
@pytest.mark.parametrize(("name", "params", "data"), [FIXED_CASES[0][:3], FIXED_CASES[4][:3]])
def test_fixed_point_on_emulated_cores_without_fpu(datasets, name, params, data, board, arch,
                                                    tmp_path):
    """No FPU: Cortex-M0+ (no 64-bit multiply either: the Armv6-M paths of mf_dsp_fixed.c)
    and RV32IMC, built and run for real."""
    from microforge.runners.dsp_mcu import run_dsp_on_mcu
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available(arch):
        pytest.skip(f"the {arch} toolchain / QEMU is not installed (make toolchain)")
    everything = datasets[data]
    x = everything[:3] if data == "speech" else everything[:60]
    block = fitted(name, params, everything, RATES[data])
    result = run_dsp_on_mcu(block.emit_c("mf_m0_dsp", fixed_point=True), board, x,
                            work_dir=tmp_path)
    assert relative_error(result.features, block.transform(x), block.transform(everything)) \
        <= FIXED_POINT_BOUND
