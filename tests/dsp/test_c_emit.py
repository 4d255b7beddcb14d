"""C emission: the float FFT kernel against numpy, tables, DspC files, strict compiles."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import numpy as np
import pytest

from microforge.dsp import make_block
from microforge.dsp.c_emit import (
    DSP_RUNTIME_DIR,
    c_floats,
    sparse_rows,
    to_q31,
    twiddle_table,
)
from microforge.errors import ConfigError
from microforge.runners.host import WARNING_FLAGS, gcc_compile
from tests.dsp.helpers import noise_windows

SR = 16000.0


@pytest.fixture(scope="module")
def fft_lib(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fft")
    for name in ("mf_dsp_fft.c", "mf_dsp_fft.h", "mf_dsp_fixed.c", "mf_dsp_fixed.h"):
        shutil.copyfile(DSP_RUNTIME_DIR / name, folder / name)
    so = folder / "libfft.so"
    gcc_compile(folder, so, ["-O2", "-shared", "-fPIC"])
    lib = ctypes.CDLL(str(so))
    lib.mf_rfft_f32.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p]
    lib.mf_rfft_q31.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p]
    lib.mf_sqrt_u64.argtypes = [ctypes.c_uint64]
    lib.mf_sqrt_u64.restype = ctypes.c_uint32
    return lib


@pytest.mark.parametrize("n", [4, 8, 16, 64, 256, 512, 2048])
def test_float_rfft_matches_numpy(fft_lib, n):
    x = np.random.default_rng(n).normal(size=n).astype(np.float32)
    buf = x.copy()
    table = np.ascontiguousarray(twiddle_table(n), dtype=np.float32)
    fft_lib.mf_rfft_f32(buf.ctypes.data, n, table.ctypes.data)
    expected = np.fft.rfft(x.astype(np.float64))
    got = np.empty(n // 2 + 1, complex)
    got[0], got[-1] = buf[0], buf[1]
    got[1:-1] = buf[2:n:2] + 1j * buf[3:n:2]
    # float32 radix-2: error grows ~ log2(n) * eps * sqrt(sum x^2)
    bound = 2e-7 * np.log2(n) * np.sqrt(n) * np.sqrt(np.sum(x.astype(np.float64) ** 2))
    assert np.abs(got - expected).max() <= bound


@pytest.mark.parametrize("n", [4, 16, 512, 1024])
def test_q31_rfft_matches_numpy_within_its_bound(fft_lib, n):
    x = np.random.default_rng(n).uniform(-1, 1, size=n)
    q = np.round(x * 2**30).astype(np.int32)  # q30 input, as mf_frame_q31 writes it
    table = np.ascontiguousarray(to_q31(twiddle_table(n)), dtype=np.int32)
    buf = q.copy()
    shift = fft_lib.mf_rfft_q31(buf.ctypes.data, n, table.ctypes.data)
    assert shift == int(np.log2(n))
    got = np.empty(n // 2 + 1, complex)
    got[0], got[-1] = buf[0], buf[1]
    got[1:-1] = buf[2:n:2] + 1j * buf[3:n:2]
    got *= 2.0**shift / 2**30
    expected = np.fft.rfft(q / 2**30)
    # bound: about one output LSB of rounding per stage, scaled back by 2^shift
    assert np.abs(got - expected).max() <= (shift + 2) * 2.0**shift / 2**30


def test_sqrt_u64_exact_below_2_32_then_16_significant_bits(fft_lib):
    for v in [0, 1, 2, 3, 4, 15, 16, 12345678, 2**32 - 1]:
        r = fft_lib.mf_sqrt_u64(v)
        assert r * r <= v < (r + 1) ** 2
    for v in [2**32, 2**40 + 12345, 2**62 - 1, 2**63 + 7, 2**64 - 1]:
        r = fft_lib.mf_sqrt_u64(v)
        assert r * r <= v and abs(r - v**0.5) / v**0.5 < 2.0**-15


@pytest.mark.parametrize("clamp", [0, 1])
def test_fast_log_within_1e_5_of_numpy(fft_lib, clamp):
    x = np.concatenate([np.geomspace(1e-9, 1e9, 5000), [0.0, 1.0, 2.0, 3.5e-7]]).astype(
        np.float32)
    buf = x.copy()
    fft_lib.mf_log_fast_f32.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_float,
                                        ctypes.c_int]
    fft_lib.mf_log_fast_f32(buf.ctypes.data, len(buf), 1e-6, clamp)
    x64 = x.astype(np.float64)
    expected = np.log(np.maximum(x64, 1e-6)) if clamp else np.log(
        (x + np.float32(1e-6)).astype(np.float64))
    assert np.abs(buf - expected).max() < 1e-5


def test_float_literals_round_trip():
    values = np.array([0.1, -3.25e-12, 1.0, 7.0, 123456.789], np.float32)
    text = c_floats(values)
    parsed = np.array([float(t.strip().rstrip("f")) for t in text.split(",")], np.float32)
    np.testing.assert_array_equal(parsed, values)
    with pytest.raises(ConfigError):
        c_floats([np.nan])


def test_sparse_rows_keep_every_nonzero_weight():
    block = make_block("mfe", {"n_mels": 20}).fit(noise_windows(1, 8000, 1), SR)
    dense = block.tables()["mel_weights"]
    starts, lengths, flat = sparse_rows(dense)
    rebuilt = np.zeros_like(dense)
    offset = 0
    for f, (s, n) in enumerate(zip(starts, lengths, strict=True)):
        rebuilt[s : s + n, f] = flat[offset : offset + n]
        offset += n
    np.testing.assert_array_equal(rebuilt, dense)
    assert flat.size < dense.size / 5


def test_dsp_c_describes_and_writes_its_files(tmp_path):
    block = make_block("mfcc", {"n_mels": 20, "n_mfcc": 8}).fit(noise_windows(2, 4000, 1), SR)
    dsp_c = block.emit_c("mf_test_dsp")
    assert (dsp_c.window_len, dsp_c.n_channels, dsp_c.fixed_point) == (4000, 1, False)
    assert dsp_c.n_features == int(np.prod(block.feature_shape(4000, 1)))
    dsp_c.write(tmp_path)
    header = (tmp_path / "mf_test_dsp.h").read_text()
    assert "int mf_test_dsp_features(const float *window, float *features);" in header
    assert f"#define MF_TEST_DSP_FEATURES {dsp_c.n_features}" in header
    assert "malloc" not in (tmp_path / "mf_test_dsp.c").read_text()
    for name in dsp_c.kernels:
        assert (tmp_path / name).is_file()


def test_bad_prefix_and_fft_length_are_config_errors():
    block = make_block("mfe", {"fft_length": 600}).fit(noise_windows(1, 8000, 1), SR)
    with pytest.raises(ConfigError, match="fft_length"):
        block.emit_c("mf_x")
    good = make_block("mfe").fit(noise_windows(1, 8000, 1), SR)
    with pytest.raises(ConfigError, match="C identifier"):
        good.emit_c("9bad")
    with pytest.raises(RuntimeError, match="not fitted"):
        make_block("mfe").emit_c("mf_x")


@pytest.mark.parametrize("fixed_point", [False, True])
def test_generated_c_compiles_strictly_for_cortex_m4(tmp_path, fixed_point):
    cc = shutil.which("arm-none-eabi-gcc")
    if cc is None:
        pytest.skip("arm-none-eabi-gcc not installed (make toolchain)")
    block = make_block("mfcc", {"preset": "mlperf_kws"}).fit(noise_windows(1, 16000, 1), SR)
    block.emit_c("mf_kws_dsp", fixed_point=fixed_point).write(tmp_path)
    for source in sorted(tmp_path.glob("*.c")):
        cmd = [cc, *WARNING_FLAGS, "-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16",
               "-mfloat-abi=hard", "-O2", "-c", str(source), "-I", str(tmp_path),
               "-o", str(tmp_path / f"{source.stem}.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_board_profile_chooses_fixed_point():
    from microforge.dsp.c_emit import fixed_point_for

    assert fixed_point_for("raspberry_pi_pico") and fixed_point_for("stm32f103c8_bluepill")
    assert not fixed_point_for("nucleo_l4r5zi")


def test_fixed_point_builds_for_a_core_without_fpu(tmp_path):
    cc = shutil.which("arm-none-eabi-gcc")
    if cc is None:
        pytest.skip("arm-none-eabi-gcc not installed (make toolchain)")
    block = make_block("spectral", {}).fit(noise_windows(4, 128, 3), 50.0)
    block.emit_c("mf_har_dsp", fixed_point=True).write(tmp_path)
    for source in sorted(tmp_path.glob("*.c")):
        cmd = [cc, *WARNING_FLAGS, "-mcpu=cortex-m0plus", "-mthumb", "-O2", "-c", str(source),
               "-I", str(tmp_path), "-o", str(tmp_path / f"{source.stem}.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_compiled_dsp_rejects_windows_of_the_wrong_shape():
    from microforge.errors import DataError
    from microforge.runners.dsp_host import CompiledDsp

    block = make_block("raw").fit(noise_windows(2, 16, 3), 50.0)
    compiled = CompiledDsp(block.emit_c("mf_raw_dsp"))
    with pytest.raises(DataError, match="16, 3"):
        compiled.transform(noise_windows(2, 16, 2))
    assert compiled.transform(noise_windows(0, 16, 3)).shape == (0, 16, 3)
