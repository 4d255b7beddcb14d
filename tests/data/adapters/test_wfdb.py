"""WFDB records with beat annotations, written by the test with wfdb.wrsamp/wrann."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.data import DatasetSpec, WindowSpec, load_dataset, make_windows
from microforge.data.load import detect_format
from microforge.data.spec import EventOptions
from tests.conftest import require_module

FS = 360  # MIT-BIH


def write_record(folder, name, beats, seconds=20, seed=0):
    """A 2-lead record (MLII, V5) with a QRS-like spike at every beat and an .atr file."""
    import wfdb

    rng = np.random.default_rng(seed)
    n = seconds * FS
    signal = rng.normal(0, 0.02, size=(n, 2))
    for sample, symbol in beats:
        signal[sample, 0] += 2.0 if symbol != "V" else -2.0
    folder.mkdir(parents=True, exist_ok=True)
    wfdb.wrsamp(name, fs=FS, units=["mV", "mV"], sig_name=["MLII", "V5"], p_signal=signal,
                fmt=["212", "212"], write_dir=str(folder))
    wfdb.wrann(name, "atr", np.array([s for s, _ in beats]), [s for _, s in beats],
               write_dir=str(folder))


def beats(seed, n=20):
    rng = np.random.default_rng(seed)
    samples = np.arange(1, n + 1) * 300 + rng.integers(-20, 20, n)
    symbols = rng.choice(["N", "L", "V", "A", "+", "~"], size=n)
    return list(zip(samples.tolist(), symbols.tolist(), strict=True))


def test_beats_through_the_aami_map(tmp_path):
    require_module("wfdb")
    truth = {}
    for k, name in enumerate(("100", "101", "102")):
        truth[name] = beats(k)
        write_record(tmp_path, name, truth[name], seed=k)
    assert detect_format(tmp_path) == "wfdb"
    spec = DatasetSpec(tmp_path, format="wfdb", label_map="aami",
                       events=EventOptions(window_ms=500, event_offset_ms=250))
    dataset = load_dataset(spec)
    assert dataset.channel_names == ("MLII", "V5") and dataset.sample_rate == FS
    aami = {"N": "N", "L": "N", "V": "V", "A": "S"}
    expected = [(name, aami[sym]) for name, bs in truth.items() for _, sym in bs if sym in aami]
    got = sorted((r.group, r.label) for r in dataset.recordings)
    assert got == sorted(expected)
    windows = make_windows(dataset, WindowSpec(window_ms=500, stride_ms=500))
    offset = 90  # 250 ms at 360 Hz
    for x, y in zip(windows.x, windows.y, strict=True):
        peak = int(np.argmax(np.abs(x[:, 0])))
        assert peak == offset
        assert (x[offset, 0] < 0) == (dataset.classes[y] == "V")
    dropped = sum(sym not in aami for bs in truth.values() for _, sym in bs)
    assert any(f"dropped {dropped} of" in note for note in dataset.notes)


def test_missing_wfdb_package_is_one_line(tmp_path, monkeypatch, capsys):
    import builtins

    from microforge.cli import main

    (tmp_path / "100.hea").write_text("100 1 360 10\n")
    real_import = builtins.__import__

    def no_wfdb(name, *args, **kwargs):
        if name == "wfdb":
            raise ImportError("no wfdb")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_wfdb)
    assert main(["data", "inspect", str(tmp_path), "--format", "wfdb"]) == 2
    err = capsys.readouterr().err.strip()
    assert "pip install 'microforge[wfdb]'" in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_record_without_annotations_is_named(tmp_path):
    require_module("wfdb")
    import wfdb

    wfdb.wrsamp("200", fs=FS, units=["mV"], sig_name=["MLII"], p_signal=np.zeros((100, 1)),
                fmt=["16"], write_dir=str(tmp_path))
    from microforge.errors import DataError

    with pytest.raises(DataError, match="no .atr annotation files"):
        load_dataset(DatasetSpec(tmp_path, format="wfdb", events=EventOptions(window_ms=100)))
