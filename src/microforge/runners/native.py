"""What native libraries print straight to file descriptors 1 and 2 (TensorFlow's C++ logging
at import and in the TFLite converter, TFLM's allocation dump), captured instead."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def captured_native_output() -> Iterator[list[str]]:
    """Within the block, fds 1 and 2 go to a temporary file; the list yielded holds its text
    once the block ends (also when it raised)."""
    text: list[str] = []
    sys.stderr.flush()
    sys.stdout.flush()
    saved = os.dup(2), os.dup(1)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        os.dup2(tmp.fileno(), 1)
        try:
            yield text
        finally:
            sys.stderr.flush()
            sys.stdout.flush()
            os.dup2(saved[0], 2)
            os.dup2(saved[1], 1)
            os.close(saved[0])
            os.close(saved[1])
            tmp.seek(0)
            text.append(tmp.read().decode("utf-8", "replace"))
