"""User-facing errors.

Every error a user can cause (a bad file, a bad config field, an unsupported op, a model too
big for the board) is a `MicroforgeError`: the CLI prints its one-line message and exits with
code 2, no traceback. Anything else is a bug in microforge and keeps its traceback.
"""

from __future__ import annotations


class MicroforgeError(Exception):
    """A problem with the user's input, explained in one line that says what to do."""

    exit_code = 2


class ConfigError(MicroforgeError):
    """microforge.toml is missing, malformed, or has a bad field."""


class DataError(MicroforgeError):
    """A dataset file or folder cannot be used as it is."""


class ModelError(MicroforgeError):
    """A .tflite file is not a valid TFLite model, or is inconsistent."""


class UnsupportedOpError(ModelError):
    """The model uses ops (or op/dtype combinations) the compiler does not implement."""


class BoardFitError(MicroforgeError):
    """The model does not fit the chosen board's flash or RAM."""


class ToolchainError(MicroforgeError):
    """A compiler, emulator or optional Python package needed for this step is missing."""


class OutputError(MicroforgeError):
    """An output path cannot be written: not a folder, locked by another run, not writable."""
