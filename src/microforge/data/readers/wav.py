"""WAV recordings: integer PCM (8/16/24/32-bit), mono or multichannel, as float32 in [-1, 1)."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np

from microforge.data.readers.folders import Progress, label_folders, report
from microforge.data.recording import Recording
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError

PCM_SUBTYPES = ("PCM_U8", "PCM_S8", "PCM_16", "PCM_24", "PCM_32")
_SPEAKER = re.compile(r"^(.+?)_nohash_")


def read_wav_folder(spec: DatasetSpec, progress: Progress | None = None) -> list[Recording]:
    """Every `<path>/<label>/**/*.wav` as one recording; group: subfolder, speaker or stem."""
    files = label_folders(spec.path, ".wav")
    recordings = []
    for i, item in enumerate(files):
        signal, rate = read_wav(item.path)
        recordings.append(wav_recording(item.path, item.label, signal, rate, item.group))
        report(progress, i + 1, len(files))
    return recordings


def wav_recording(
    path: Path, label: str, signal: np.ndarray, rate: float, group: str | None = None
) -> Recording:
    """Group: `group` if given, else the speaker of `<speaker>_nohash_<n>.wav`, else the stem."""
    names = ("audio",) if signal.shape[1] == 1 else tuple(f"ch{i}" for i in range(signal.shape[1]))
    if group is None:
        match = _SPEAKER.match(path.name)
        group = match.group(1) if match else path.stem
    return Recording(signal, float(rate), label, group, str(path), names)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """(float32 (n_samples, n_channels), sample rate); DataError for non-PCM or broken files."""
    try:
        import soundfile
    except ImportError:  # pragma: no cover - soundfile is a dependency; wave is the fallback
        return _read_with_wave(path)
    try:
        info = soundfile.info(str(path))
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise DataError(f"{path}: not a readable WAV file ({_first_line(exc)}); re-export it "
                        "as PCM WAV or remove it") from None
    if info.subtype not in PCM_SUBTYPES:
        raise DataError(
            f"{path}: {info.subtype_info or info.subtype} WAV is not supported; "
            "convert it to 16-bit PCM (e.g. `sox in.wav -b 16 -e signed-integer out.wav`)"
        )
    try:
        signal, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise DataError(f"{path}: cannot read samples ({_first_line(exc)}); the file is "
                        "truncated or corrupt: re-export it or remove it") from None
    if len(signal) == 0:
        raise DataError(f"{path}: WAV file has no samples; remove it")
    return np.ascontiguousarray(signal, dtype=np.float32), int(rate)


def _read_with_wave(path: Path) -> tuple[np.ndarray, int]:
    try:
        with wave.open(str(path), "rb") as handle:
            width, channels = handle.getsampwidth(), handle.getnchannels()
            rate, raw = handle.getframerate(), handle.readframes(handle.getnframes())
    except (wave.Error, EOFError) as exc:
        raise DataError(
            f"{path}: not a PCM WAV file ({exc}); convert it to 16-bit PCM"
        ) from None
    if width == 1:
        ints = np.frombuffer(raw, np.uint8).astype(np.int32) - 128
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        ints = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8
    else:
        ints = np.frombuffer(raw, {2: "<i2", 4: "<i4"}[width]).astype(np.int64)
    scale = float(2 ** (8 * width - 1))
    return (ints.reshape(-1, channels) / scale).astype(np.float32), rate


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
