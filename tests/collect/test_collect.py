"""`collect` against a pseudo-terminal device: rate detection, counted bad lines, the files."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.collect import collect, write_recording
from microforge.collect.session import open_port
from microforge.data import CsvOptions, DatasetSpec, load_dataset
from microforge.errors import DataError, MicroforgeError
from tests.collect.simulator import PtyDevice

# rate -> seconds collected: at least 6 lines at 1 Hz.
RATES = {1.0: 6.5, 50.0: 3.0, 100.0: 3.0, 1000.0: 3.0}


def read_back(root):
    return load_dataset(DatasetSpec(root, format="csv",
                                    csv=CsvOptions(timestamp_column="timestamp")))


@pytest.mark.parametrize("rate", list(RATES))
def test_rate_within_one_percent_and_bad_lines_counted(tmp_path, rate):
    garbled = {2, 9} | set(range(37, 100_000, 37))
    wrong = {4} | set(range(53, 100_000, 101))
    status = {k: f"status: battery {k % 100}%" for k in range(3, 100_000, 50)}  # device text
    with PtyDevice(rate, axes=3, garbled=garbled, wrong_width=wrong, results=status) as device:
        result = collect(open_port(device.port), "walk", tmp_path, seconds=RATES[rate],
                         session="s1", axes=["k", "a", "b"])
    lines = result.stats.slots  # sample line k = 0 .. lines-1 were received, in order
    assert lines >= 0.5 * rate * (RATES[rate] - 0.2) and lines >= 6
    error = abs(result.rate.measured - rate) / rate
    print(f"rate {rate:g} Hz: measured {result.rate.measured:.5g} Hz ({error:.3%} off) over "
          f"{lines} lines; garbled {result.stats.garbled}, wrong width {result.stats.wrong_width}, "
          f"text {result.stats.text_lines}")
    assert error < 0.01
    # Within 0.2 % of a round value it is taken as that value (not on a very busy host).
    assert result.recorded_rate == pytest.approx(rate, rel=0.01)
    assert result.stats.garbled == len([k for k in garbled if k < lines])
    assert result.stats.wrong_width == len([k for k in wrong - garbled if k < lines])
    assert abs(result.stats.text_lines - len([k for k in status if k < lines])) <= 1
    assert result.path == tmp_path / "walk" / "s1" / "walk.001.csv"
    dataset = read_back(tmp_path)
    (r,) = dataset.recordings
    assert (r.label, r.group) == ("walk", "s1")
    assert dataset.sample_rate == pytest.approx(result.recorded_rate, rel=1e-6)
    assert r.channel_names == ("k", "a", "b")
    good = [k for k in range(lines) if k not in garbled and k not in wrong]
    assert r.signal[:, 0].tolist() == good  # every good line, once, in order


def test_tab_separated_and_the_width_from_the_stream(tmp_path):
    with PtyDevice(50.0, axes=2, separator="\t") as device:
        result = collect(open_port(device.port), "idle", tmp_path, seconds=1.5, session="tab")
    assert result.axes == ("ch0", "ch1") and result.stats.dropped == 0
    assert np.array_equal(read_back(tmp_path).recordings[0].signal[:, 0],
                          np.arange(result.samples))


def test_lines_lost_on_the_way_are_counted_against_the_given_rate(tmp_path):
    dropped = set(range(40, 140, 10))  # 10 lines never sent
    with PtyDevice(100.0, axes=2, dropped=dropped) as device:
        result = collect(open_port(device.port), "walk", tmp_path, seconds=2.5, rate=100.0)
    assert abs(result.missing - len(dropped)) <= 2
    assert result.recorded_rate == 100.0
    signal = read_back(tmp_path).recordings[0].signal
    assert not set(signal[:, 0].astype(int).tolist()) & dropped


def test_device_unplugged_keeps_what_was_collected(tmp_path):
    import os
    import threading

    with PtyDevice(100.0, axes=2) as device:
        port = open_port(device.port)

        def unplug():
            os.close(device.master)
            os.close(device.slave)

        threading.Timer(1.2, unplug).start()
        result = collect(port, "walk", tmp_path, seconds=10)
    assert result.stopped == "disconnected" and 80 <= result.samples <= 110
    assert result.path.is_file()


def test_never_overwrites(tmp_path):
    signal = np.zeros((5, 1))
    mine = tmp_path / "a" / "s" / "a.001.csv"
    mine.parent.mkdir(parents=True)
    mine.write_text("mine\n")
    assert write_recording(tmp_path, "a", "s", signal, 10.0, ["x"]).name == "a.002.csv"
    assert write_recording(tmp_path, "a", "s", signal, 10.0, ["x"], "cbor").name == "a.001.cbor"
    assert mine.read_text() == "mine\n"
    assert sorted(p.name for p in mine.parent.iterdir()) == ["a.001.cbor", "a.001.csv",
                                                              "a.002.csv"]


def test_edge_impulse_output_reads_back(tmp_path):
    with PtyDevice(100.0, axes=3) as device:
        result = collect(open_port(device.port), "tap", tmp_path, seconds=1.0, fmt="json",
                         rate=100.0)
    dataset = load_dataset(DatasetSpec(tmp_path, format="edge_impulse"))
    assert result.path.suffix == ".json" and dataset.sample_rate == 100.0
    assert len(dataset.recordings[0].signal) == result.samples


def test_bad_arguments_and_silent_device(tmp_path):
    with pytest.raises(DataError, match="--label '../x'"):
        collect(None, "../x", tmp_path, seconds=1)
    with pytest.raises(MicroforgeError, match="--port /nonexistent/tty: cannot open it"):
        open_port("/nonexistent/tty")
    with PtyDevice(100.0, start_delay_s=60) as device, pytest.raises(DataError,
                                                                     match="no samples in"):
        collect(open_port(device.port), "a", tmp_path, seconds=0.5)
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("rate", [0.5, 1.0, 3.0, 62.5, 100.0, 16000.0, 44100.0])
def test_csv_stamps_read_back_at_the_rate_written(tmp_path, rate):
    write_recording(tmp_path, "a", "s", np.zeros((20, 1)), rate, ["x"])
    assert read_back(tmp_path).sample_rate == pytest.approx(rate, rel=1e-5)


def test_live_display_renders_progress_rate_and_sparklines():
    from rich.console import Console

    from microforge.collect.display import render, sparkline
    from microforge.collect.lines import LineStats
    from microforge.collect.rate import RateEstimate
    from microforge.collect.session import Snapshot

    assert sparkline(np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])) == "▁▂▃▄▅▆▇█"
    stats = LineStats(lines=120, samples=110, garbled=6, wrong_width=1, text_lines=3,
                      text=["status: ok"])
    recent = np.column_stack([np.arange(60.0), -np.arange(60.0)])
    snap = Snapshot("walk", 1.2, 5.0, stats, RateEstimate(99.8, 100.0, 120, 1.2), recent,
                    ("accX", "accY"))
    console = Console(width=100, record=True, force_terminal=False)
    console.print(render(snap))
    text = console.export_text()
    assert "collecting 'walk'" in text and "1.2 / 5 s" in text and "110 (99.8 Hz measured)" in text
    assert "10 lines (6 garbled, 1 with another number of values, 3 text)" in text
    assert "status: ok" in text and "accX" in text and "█ 59" in text and "▁ -59" in text
