"""Window assembly from a sample stream: windows of `win_len` frames every `stride` frames.

A window ends at frame win_len + j * stride (frames counted from the first pushed sample), the
same windows `data.windowing.make_windows` cuts from a recording, and the same the C pipeline
(`mf_window_buffer`) assembles.
"""

from __future__ import annotations

import numpy as np

from microforge.errors import DataError


class WindowAssembler:
    """Push frames (n, channels) in any chunking; get each completed window with its end."""

    def __init__(self, win_len: int, channels: int, stride: int) -> None:
        if win_len < 1 or channels < 1 or stride < 1:
            raise DataError(f"windows need win_len, channels and stride >= 1 (got {win_len}, "
                            f"{channels}, {stride})")
        self.win_len, self.channels, self.stride = int(win_len), int(channels), int(stride)
        self.reset()

    def reset(self) -> None:
        self._buf = np.zeros((0, self.channels), dtype=np.float32)
        self._buf_start = 0  # absolute frame index of _buf[0]
        self._skip = 0  # frames still to drop (stride > win_len)
        self.total = 0  # frames pushed since reset

    def push(self, frames: np.ndarray) -> list[tuple[np.ndarray, int]]:
        """(window (win_len, channels) float32, end frame) for every window completed."""
        frames = self._as_frames(frames)
        self.total += len(frames)
        if self._skip:
            dropped = min(self._skip, len(frames))
            frames, self._skip = frames[dropped:], self._skip - dropped
        buf = np.concatenate([self._buf, frames]) if len(self._buf) else frames
        done = []
        while len(buf) >= self.win_len:
            done.append((buf[: self.win_len], self._buf_start + self.win_len))
            self._buf_start += self.stride
            if self.stride <= len(buf):
                buf = buf[self.stride:]
            else:
                self._skip = self.stride - len(buf)
                buf = buf[:0]
        self._buf = np.array(buf, dtype=np.float32, copy=True)
        return done

    def _as_frames(self, frames: np.ndarray) -> np.ndarray:
        x = np.asarray(frames, dtype=np.float32)
        if x.ndim == 1 and self.channels == 1:
            x = x[:, None]
        if x.ndim == 1 and x.size % self.channels == 0:
            x = x.reshape(-1, self.channels)  # interleaved [time][channel]
        if x.ndim != 2 or x.shape[1] != self.channels:
            raise DataError(f"samples of shape {np.shape(frames)} do not hold whole frames of "
                            f"{self.channels} channels")
        return x
