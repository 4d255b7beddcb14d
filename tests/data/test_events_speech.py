"""A real event dataset: the shared Speech Commands clips concatenated per speaker into long
recordings, with each clip's onset written as an annotation. Windows must be the clips."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.data import DatasetSpec, WindowSpec, load_dataset, make_windows
from microforge.data.events import write_annotations
from microforge.data.readers.wav import read_wav
from microforge.data.spec import EventOptions
from microforge.data.splits import split_by_group
from tests.data.files import write_wav

KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]


@pytest.fixture(scope="module")
def long_recordings(shared_data, tmp_path_factory):
    source = shared_data / "datasets" / "speech_commands_subset"
    if not source.is_dir():
        pytest.skip(f"{source} not found")
    clips: dict[str, list] = {}
    for path in sorted(source.glob("*/*_nohash_*.wav")):
        if path.parent.name.startswith("_"):
            continue
        clips.setdefault(path.name.split("_nohash_")[0], []).append(path)
    speakers = sorted(clips, key=lambda s: (-len(clips[s]), s))[:8]
    root = tmp_path_factory.mktemp("speech_events")
    rng = np.random.default_rng(0)
    truth = []  # (speaker, onset sample, word, clip samples)
    for speaker in speakers:
        parts, rows, at = [], [], 0
        for path in clips[speaker]:
            gap = np.zeros(int(rng.integers(4000, 9600)), np.float32)  # 0.25-0.6 s of silence
            clip, rate = read_wav(path)
            assert rate == 16000
            parts += [gap, clip[:, 0]]
            at += len(gap)
            rows.append((at / 16000, path.parent.name, None))
            truth.append((speaker, at, path.parent.name, clip[:, 0]))
            at += len(clip)
        parts.append(np.zeros(16000, np.float32))  # room for the last clip's window
        write_wav(root / speaker / "session.wav", np.concatenate(parts), 16000)
        write_annotations(root / speaker / "session.annotations.csv", rows)
    return root, speakers, truth


def test_windows_are_the_clips_and_speakers_split_honestly(long_recordings):
    root, speakers, truth = long_recordings
    spec = DatasetSpec(root, format="events", label_map={k: [k] for k in KEYWORDS},
                       events=EventOptions(window_ms=1000, event_offset_ms=0))
    dataset = load_dataset(spec)
    windows = make_windows(dataset, WindowSpec(window_ms=1000, stride_ms=500))
    kept = [t for t in truth if t[2] in KEYWORDS]
    assert 30 <= len(kept) == len(windows.y)
    assert windows.x.shape[1:] == (16000, 1)
    by_source = {(r.group, r.source.split("@")[1].split("[")[0]): i
                 for i, r in enumerate(dataset.recordings)}
    for speaker, onset, word, clip in kept:
        i = by_source[(speaker, str(onset))]
        assert dataset.recordings[i].label == word
        w = windows.x[list(windows.recording).index(i), :, 0]
        n = min(len(clip), 16000)
        np.testing.assert_array_equal(w[:n], clip[:n])  # the clip, sample for sample
    dropped = len(truth) - len(kept)
    assert any(f"dropped {dropped} of {len(truth)}" in note for note in dataset.notes)
    assert sorted(set(windows.groups.tolist())) == sorted(speakers)
    parts = split_by_group(windows.groups, 0.25, 0.125, seed=0, labels=windows.y)
    for speaker in speakers:
        assert len(set(parts[windows.groups == speaker].tolist())) == 1
