"""The package version (one definition; `microforge.__version__` re-exports it)."""

__version__ = "0.1.0"
