"""Operator authentication: `Authorization: Bearer TOKEN` (or the dashboard's HttpOnly
cookie) checked against the token hashes in the database; anything else is 401."""

from __future__ import annotations

from fastapi import Request

from microforge.fleet.errors import FleetError
from microforge.fleet.tokens import is_valid

COOKIE = "microforge_fleet_token"


def bearer(request: Request) -> str | None:
    """The request's token: the Authorization header, or for GET requests only, the
    dashboard's cookie (so another site's form cannot change anything with it)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) if request.method == "GET" else None


def require_operator(request: Request) -> None:
    """FastAPI dependency: a valid operator token, else FleetError 401."""
    token = bearer(request)
    if not is_valid(request.app.state.fleet.reader, token):
        raise FleetError(401, "unauthorized", "an operator token is required: send "
                         "'Authorization: Bearer TOKEN' (microforge fleet token prints one)"
                         if token is None else "the operator token is not valid")
