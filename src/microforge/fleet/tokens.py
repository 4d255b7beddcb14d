"""Operator tokens: 32 random bytes (urlsafe base64), shown once; the database keeps only
their SHA-256 (a token is a high-entropy secret, so a plain hash is enough to make a stolen
database useless for logging in; no password hashing needed).

    token = create_token(factory, label="ops laptop")    # print it, never store it
    is_valid(factory, token)                             # True / False
    list_tokens(factory); revoke_token(factory, token_id) # a revoked token is refused (401)

Every request checks the database (no cache), so a revocation holds from the next request on,
in every server process.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from microforge.fleet.db import session_scope
from microforge.fleet.errors import FleetError
from microforge.fleet.tables import TokenRow, utcnow

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 200


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(factory: sessionmaker[Session], label: str = "") -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with session_scope(factory) as session:
        session.add(TokenRow(sha256=token_hash(token), label=label))
    return token


def is_valid(factory: sessionmaker[Session], token: str | None) -> bool:
    if not token or len(token) > MAX_TOKEN_CHARS:
        return False
    digest = token_hash(token)
    with factory() as session:
        found = session.scalar(select(TokenRow.sha256).where(TokenRow.sha256 == digest,
                                                             TokenRow.revoked.is_(None)))
    return found is not None and secrets.compare_digest(found, digest)


@dataclass(frozen=True)
class TokenInfo:
    token_id: int
    label: str
    created: datetime
    revoked: datetime | None


def list_tokens(factory: sessionmaker[Session]) -> list[TokenInfo]:
    """Every token ever created (never the token itself), oldest first."""
    with factory() as session:
        rows = session.scalars(select(TokenRow).order_by(TokenRow.id)).all()
        return [TokenInfo(r.id, r.label, r.created, r.revoked) for r in rows]


def revoke_token(factory: sessionmaker[Session], token_id: int) -> bool:
    """Revoke a token by its id (True), or say it was revoked already (False); FleetError 404
    for an id that never existed."""
    with session_scope(factory) as session:
        row = session.get(TokenRow, token_id)
        if row is None:
            raise FleetError(404, "unknown_token", f"no operator token has id {token_id}; "
                             "`microforge fleet token --list` shows them")
        if row.revoked is not None:
            return False
        row.revoked = utcnow()
    return True
