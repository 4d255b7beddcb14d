"""A request the fleet refuses: an HTTP status, a short machine-readable reason and one line
for people. The API answers {"error": message, "reason": reason} with that status; the CLI
prints the line and exits with code 2."""

from __future__ import annotations

from microforge.errors import MicroforgeError


class FleetError(MicroforgeError):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
