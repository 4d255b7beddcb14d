"""The error of a bundle or key that cannot be used."""

from __future__ import annotations

from microforge.errors import MicroforgeError


class BundleError(MicroforgeError):
    """A bundle or a key file is malformed, forged, or does not match (one line, exit 2)."""
