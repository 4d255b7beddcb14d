import numpy as np
import pytest

from microforge.data.load import detect_format, load_dataset
from microforge.data.spec import CsvOptions, DatasetSpec
from microforge.errors import DataError
from tests.data.files import csv_dataset, tone, write_csv, write_wav


def test_csv_end_to_end(tmp_path):
    csv_dataset(tmp_path / "d")
    ds = load_dataset(DatasetSpec(tmp_path / "d", csv=CsvOptions(timestamp_column="timestamp")))
    assert ds.classes == ["a", "b"] and ds.sample_rate == 50.0
    assert ds.channel_names == ("x", "y", "z") and ds.name == "d"
    assert ds.labels().tolist() == [0, 0, 1, 1]


def test_channel_selection_by_name_and_index(tmp_path):
    csv_dataset(tmp_path)
    spec = DatasetSpec(tmp_path, channels=["z", "0"], csv=CsvOptions(timestamp_column="timestamp"))
    ds = load_dataset(spec)
    assert ds.channel_names == ("z", "x") and ds.recordings[0].signal.shape == (50, 2)
    spec.channels = ["w"]
    with pytest.raises(DataError, match="no channel 'w'; channels are x, y, z"):
        load_dataset(spec)


def test_mixed_rates_refused_or_resampled(tmp_path):
    write_wav(tmp_path / "a" / "one.wav", tone(16000, 16000), 16000)
    write_wav(tmp_path / "a" / "two.wav", tone(16000, 16000), 16000)
    write_wav(tmp_path / "b" / "odd.wav", tone(8000, 8000), 8000)
    with pytest.raises(DataError, match=r"odd\.wav: sample rate 8000 Hz, expected 16000 Hz"):
        load_dataset(DatasetSpec(tmp_path))
    ds = load_dataset(DatasetSpec(tmp_path, on_rate_mismatch="resample"))
    odd = ds.recordings[-1]
    assert ds.sample_rate == 16000 and odd.sample_rate == 16000 and odd.n_samples == 16000
    middle = slice(2000, 14000)  # the 440 Hz tone survives resampling
    np.testing.assert_allclose(odd.signal[middle, 0], tone(16000, 16000)[middle], atol=0.02)


def test_explicit_rate_resamples_everything(tmp_path):
    write_wav(tmp_path / "a" / "one.wav", tone(1600, 16000), 16000)
    ds = load_dataset(DatasetSpec(tmp_path, sample_rate=8000, on_rate_mismatch="resample"))
    assert ds.sample_rate == 8000 and ds.recordings[0].n_samples == 800


def test_missing_empty_and_class_without_samples(tmp_path):
    with pytest.raises(DataError, match="no such folder; check dataset.path"):
        load_dataset(DatasetSpec(tmp_path / "nope"))
    with pytest.raises(DataError, match="folder is empty"):
        load_dataset(DatasetSpec(tmp_path))
    write_csv(tmp_path / "a" / "r.csv", [[1], [2]])
    (tmp_path / "b").mkdir()
    with pytest.raises(DataError, match="class folder 'b' has no .csv files"):
        load_dataset(DatasetSpec(tmp_path, format="csv", sample_rate=1))


def test_loose_files_and_unknown_format(tmp_path):
    write_csv(tmp_path / "r.csv", [[1], [2]])
    with pytest.raises(DataError, match="no class folders .found 1 loose .csv files"):
        load_dataset(DatasetSpec(tmp_path, format="csv", sample_rate=1))
    with pytest.raises(DataError, match="unknown format 'xls'"):
        load_dataset(DatasetSpec(tmp_path, format="xls"))


def test_detection_by_file_types(tmp_path):
    write_csv(tmp_path / "c" / "a" / "r.csv", [[1]])
    assert detect_format(tmp_path / "c") == "csv"
    np.save(tmp_path / "c" / "a" / "r.npy", np.zeros(3))
    with pytest.raises(DataError, match=r"mixed file types \(.csv, .npy\)"):
        detect_format(tmp_path / "c")
    (tmp_path / "t" / "a").mkdir(parents=True)
    (tmp_path / "t" / "a" / "notes.txt").write_text("x")
    with pytest.raises(DataError, match="no .csv, .wav, .npy, .mat or Edge Impulse"):
        detect_format(tmp_path / "t")


def test_channel_layout_must_agree(tmp_path):
    write_csv(tmp_path / "a" / "r1.csv", [[1, 2]], ["x", "y"])
    write_csv(tmp_path / "b" / "r2.csv", [[1, 2]], ["x", "q"])
    with pytest.raises(DataError, match=r"r2\.csv: channels x, q differ from x, y"):
        load_dataset(DatasetSpec(tmp_path, sample_rate=1))


def test_group_from_subfolder_or_stem(tmp_path):
    write_csv(tmp_path / "c" / "walk" / "alice" / "morning.csv", [[1], [2]])
    write_csv(tmp_path / "c" / "walk" / "alice" / "evening.csv", [[1], [2]])
    write_csv(tmp_path / "c" / "walk" / "bob.csv", [[1], [2]])
    write_wav(tmp_path / "w" / "yes" / "carol" / "k1_nohash_0.wav", tone(10, 100), 100)
    write_wav(tmp_path / "w" / "yes" / "k2_nohash_0.wav", tone(10, 100), 100)
    ds = load_dataset(DatasetSpec(tmp_path / "c", format="csv", sample_rate=10))
    assert sorted(r.group for r in ds.recordings) == ["alice", "alice", "bob"]
    ds = load_dataset(DatasetSpec(tmp_path / "w"))
    assert sorted(r.group for r in ds.recordings) == ["carol", "k2"]
