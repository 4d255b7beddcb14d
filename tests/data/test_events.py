"""Event data: long recordings + annotation CSVs -> one window per event, groups by subject."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.config import parse_config
from microforge.data import DatasetSpec, WindowSpec, load_dataset, make_windows
from microforge.data.events import Annotation, cut_events, read_annotations, write_annotations
from microforge.data.load import detect_format
from microforge.data.spec import EventOptions
from microforge.data.splits import split_by_group
from microforge.errors import DataError
from tests.data.files import write_csv, write_wav

RATE = 100.0
LABEL_MAP = {"pulse": ["P", "p"], "dip": ["D"]}


def event_dataset(root, subjects=3, recordings=2, seconds=20.0, seed=0):
    """<root>/<subject>/recK.csv (2 channels of noise) + recK.annotations.csv. A "pulse" is a
    +1 spike on ch0 at its sample, a "dip" a -1 spike on ch1; "X" events are unmapped. One
    event per recording sits 50 ms from the start (its window cannot fit). Returns the truth:
    [(subject, file, sample, raw label)]."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    truth = []
    for s in range(subjects):
        for k in range(recordings):
            signal = rng.normal(0, 0.05, size=(n, 2))
            samples = np.sort(rng.choice(np.arange(100, n - 100, 60), size=12, replace=False))
            labels = rng.choice(["P", "p", "D", "X"], size=len(samples))
            rows = [(0.05, "P", None)]
            for at, label in zip(samples.tolist(), labels.tolist(), strict=True):
                if label in ("P", "p"):
                    signal[at, 0] = 1.0
                elif label == "D":
                    signal[at, 1] = -1.0
                rows.append((at / RATE, label, None))
                truth.append((f"s{s}", f"rec{k}", at, label))
            t = np.arange(n) / RATE
            write_csv(root / f"s{s}" / f"rec{k}.csv", np.column_stack([t, signal]),
                      ["timestamp", "x", "y"])
            write_annotations(root / f"s{s}" / f"rec{k}.annotations.csv", rows)
    return truth


def spec(root, **events) -> DatasetSpec:
    from microforge.data.spec import CsvOptions

    options = EventOptions(**{"window_ms": 400, "event_offset_ms": 100, **events})
    return DatasetSpec(root, format="events", csv=CsvOptions(timestamp_column="timestamp"),
                       events=options, label_map=LABEL_MAP)


def test_windows_land_on_the_events(tmp_path):
    truth = event_dataset(tmp_path)
    assert detect_format(tmp_path) == "events"
    dataset = load_dataset(spec(tmp_path))
    windows = make_windows(dataset, WindowSpec(window_ms=400, stride_ms=100))
    mapped = [t for t in truth if t[3] != "X"]
    assert len(windows.y) == len(mapped)  # one window per mapped event, nothing else
    assert windows.x.shape[1:] == (40, 2)
    assert dataset.classes == ["pulse", "dip"]  # the map's order
    offset = 10  # 100 ms at 100 Hz
    for x, y in zip(windows.x, windows.y, strict=True):
        if dataset.classes[y] == "pulse":
            assert int(np.argmax(x[:, 0])) == offset and x[offset, 0] == pytest.approx(1.0)
        else:
            assert int(np.argmin(x[:, 1])) == offset and x[offset, 1] == pytest.approx(-1.0)
    # Sources name the event sample and the span cut from the file.
    sources = {r.source for r in dataset.recordings}
    subject, rec, at, _ = mapped[0]
    assert f"{tmp_path / subject / rec}.csv@{at}[{at - offset}:{at - offset + 40}]" in sources
    unmapped = sum(t[3] == "X" for t in truth)
    notes = " ".join(dataset.notes)
    assert f"dropped {unmapped} of" in notes and "'X'" in notes
    assert "dropped 6 event(s) whose window does not fit" in notes  # one per recording


def test_centred_by_default(tmp_path):
    event_dataset(tmp_path, subjects=1, recordings=1)
    dataset = load_dataset(spec(tmp_path, event_offset_ms=None))
    for r in dataset.recordings:
        axis, sign = (0, 1) if r.label == "pulse" else (1, -1)
        assert int(np.argmax(sign * r.signal[:, axis])) == 20


def test_groups_are_the_subjects_and_split_honestly(tmp_path):
    event_dataset(tmp_path, subjects=5)
    dataset = load_dataset(spec(tmp_path))
    windows = make_windows(dataset, WindowSpec(window_ms=400, stride_ms=400))
    assert sorted(set(windows.groups.tolist())) == [f"s{i}" for i in range(5)]
    parts = split_by_group(windows.groups, 0.2, 0.2, seed=0, labels=windows.y)
    for group in set(windows.groups.tolist()):
        assert len(set(parts[windows.groups == group].tolist())) == 1
    assert {"train", "val", "test"} == set(parts.tolist())


def test_intervals_and_background(tmp_path):
    n = 1000
    signal = np.zeros((n, 1), np.float32)
    signal[200:500] = 1.0
    annotations = [Annotation(200, "walk", 500), Annotation(700, "knock")]
    cut, stats = cut_events(signal, RATE, annotations,
                            EventOptions(window_ms=100, background_label="idle"),
                            source="r.csv", group="g", channel_names=("x",))
    spans = {(r.label, r.source) for r in cut}
    assert ("walk", "r.csv[200:500]") in spans and ("knock", "r.csv@700[695:705]") in spans
    # Background: the gaps clear of the interval and the knock's window.
    assert ("idle", "r.csv[0:200]") in spans and ("idle", "r.csv[500:695]") in spans
    assert ("idle", "r.csv[705:1000]") in spans
    assert (stats.intervals, stats.events, stats.background) == (1, 1, 3)
    walk = next(r for r in cut if r.label == "walk")
    assert (walk.signal == 1.0).all()


def test_sample_column_wav_recordings_and_end(tmp_path):
    audio = np.zeros(16000, np.float32)
    audio[8000:8100] = 0.5
    write_wav(tmp_path / "a" / "take1.wav", audio, 16000)
    (tmp_path / "a" / "take1.annotations.csv").write_text("sample,label,end\n8000,beep,\n")
    dataset = load_dataset(DatasetSpec(tmp_path, format="auto",
                                       events=EventOptions(window_ms=50, event_offset_ms=0)))
    (r,) = dataset.recordings
    assert (r.label, r.group, r.n_samples) == ("beep", "a", 800)
    assert r.signal[0, 0] == pytest.approx(0.5, abs=1e-4) and r.signal[100, 0] == 0.0


@pytest.mark.parametrize(("text", "message"), [
    ("time,label\n1,a\n", "needs a `label` column and a `time_s` or `sample` column"),
    ("time_s,label\nabc,a\n", "line 2: time_s 'abc' is not a number"),
    ("time_s,label\n99,a\n", "line 2: time_s 99 is outside the recording"),
    ("time_s,label,end\n1,a,0.5\n", "line 2: end 0.5 is not after the start"),
    ("time_s,label\n1,\n", "line 2: empty label"),
    ("sample,label\n1.5,a\n", "line 2: sample '1.5' is not a whole number"),
])
def test_bad_annotation_files_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "r.annotations.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace("`", "`")) as exc:
        read_annotations(path, RATE, 500)
    assert str(path) in str(exc.value)


def test_missing_sidecar_and_orphan_annotation_are_one_line_errors(tmp_path):
    write_csv(tmp_path / "r1.csv", np.zeros((10, 1)))
    write_csv(tmp_path / "r2.csv", np.zeros((10, 1)))
    (tmp_path / "r1.annotations.csv").write_text("sample,label\n5,a\n")
    with pytest.raises(DataError, match=r"r2.csv: no annotation file r2.annotations.csv"):
        load_dataset(DatasetSpec(tmp_path, format="events", sample_rate=10,
                                 events=EventOptions(window_ms=100)))
    (tmp_path / "r2.csv").unlink()
    (tmp_path / "r3.annotations.csv").write_text("sample,label\n5,a\n")
    with pytest.raises(DataError, match="r3.annotations.csv: annotation file without a recording"):
        load_dataset(DatasetSpec(tmp_path, format="events", sample_rate=10,
                                 events=EventOptions(window_ms=100)))


def test_offset_outside_the_window_is_refused(tmp_path):
    event_dataset(tmp_path, subjects=1, recordings=1)
    with pytest.raises(DataError, match="event_offset_ms: 500 ms is outside the 400 ms window"):
        load_dataset(spec(tmp_path, event_offset_ms=500))


def test_config_fills_the_event_window_from_windowing(tmp_path):
    from microforge.workspace.specs import dataset_spec

    config = parse_config({
        "dataset": {"path": "d", "format": "events", "label_map": "aami",
                    "events": {"event_offset_ms": 90, "background_label": "_noise_"}},
        "windowing": {"window_ms": 360, "stride_ms": 180},
    }, "microforge.toml", tmp_path)
    s = dataset_spec(config)
    assert (s.format, s.label_map, s.events.window_ms, s.events.event_offset_ms) == (
        "events", "aami", 360, 90)
    assert s.events.background_label == "_noise_"
    from microforge.errors import ConfigError

    with pytest.raises(ConfigError, match="dataset.label_map"):
        parse_config({"dataset": {"path": "d", "label_map": "mitbih"}}, "m.toml", tmp_path)


def test_recordings_at_another_rate_are_resampled_before_cutting(tmp_path):
    """A 200 Hz and a 100 Hz recording, dataset at 100 Hz: every event window 40 samples,
    the spike still at the offset."""
    for name, rate in (("fast", 200.0), ("slow", 100.0)):
        n = int(10 * rate)
        signal = np.zeros((n, 1))
        signal[np.arange(1, 9) * n // 10] = 1.0
        t = np.arange(n) / rate
        write_csv(tmp_path / f"{name}.csv", np.column_stack([t, signal]), ["timestamp", "x"])
        write_annotations(tmp_path / f"{name}.annotations.csv",
                          [(float(k), "hit", None) for k in range(1, 9)])
    from microforge.data.spec import CsvOptions

    spec = DatasetSpec(tmp_path, format="events", sample_rate=100.0, on_rate_mismatch="resample",
                       csv=CsvOptions(timestamp_column="timestamp"),
                       events=EventOptions(window_ms=400, event_offset_ms=100))
    dataset = load_dataset(spec)
    assert len(dataset.recordings) == 16 and dataset.sample_rate == 100.0
    for r in dataset.recordings:
        assert r.n_samples == 40 and int(np.argmax(r.signal[:, 0])) == 10, r.source
    with pytest.raises(DataError, match="sample rate 200 Hz, expected 100 Hz"):
        load_dataset(DatasetSpec(tmp_path, format="events", sample_rate=100.0,
                                 csv=CsvOptions(timestamp_column="timestamp"),
                                 events=EventOptions(window_ms=400)))
