"""Run a frame library (library/frame_assemble.py) on the host: built with gcc -O2 as a shared
library and called through ctypes, one camera frame at a time; the results in the same form
as runners.frame_mcu (classifier: (label, int8 score); detector: [(label, x, y, frame_x,
frame_y, score)]: x, y in the model's input pixels, frame_x, frame_y in the camera frame's).

    results = run_frames_on_host(lib, frames)
"""

from __future__ import annotations

import ctypes
import tempfile
from collections.abc import Sequence
from pathlib import Path

from microforge.runners.frame_mcu import MAX_OBJECTS
from microforge.runners.host import gcc_compile


class _Object(ctypes.Structure):  # mf_fomo_object
    _fields_ = [("label", ctypes.c_int32), ("x2", ctypes.c_int32), ("y2", ctypes.c_int32),
                ("frame_x", ctypes.c_int32), ("frame_y", ctypes.c_int32),
                ("score", ctypes.c_int8)]


def run_frames_on_host(library, frames: Sequence[bytes]) -> list:
    c = library.constants
    with tempfile.TemporaryDirectory(prefix="mf_frame_host_") as scratch:
        so = Path(scratch) / f"lib{library.name}_frame.so"
        gcc_compile(library.out_dir, so, ["-O2", "-shared", "-fPIC"])
        lib = ctypes.CDLL(str(so))
        results: list = []
        if c.detector:
            detect = getattr(lib, f"mf_{library.name}_detect_frame")
            detect.restype = ctypes.c_int32
            objects = (_Object * MAX_OBJECTS)()
            for frame in frames:
                n = int(detect(frame, objects, MAX_OBJECTS))
                if n < 0:
                    raise RuntimeError(f"mf_{library.name}_detect_frame returned {n}")
                results.append([(o.label, o.x2 / 2, o.y2 / 2, o.frame_x, o.frame_y,
                                 int(o.score))
                                for o in objects[:min(n, MAX_OBJECTS)]])
        else:
            classify = getattr(lib, f"mf_{library.name}_classify_frame")
            classify.restype = ctypes.c_int32
            label, score = ctypes.c_int32(), ctypes.c_int8()
            for frame in frames:
                status = int(classify(frame, ctypes.byref(label), ctypes.byref(score)))
                if status != 0:
                    raise RuntimeError(f"mf_{library.name}_classify_frame returned {status}")
                results.append((int(label.value), int(score.value)))
    return results
