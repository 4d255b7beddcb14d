"""Operator tokens: 32 random bytes (urlsafe base64), shown once; the database keeps only
their SHA-256 (a token is a high-entropy secret, so a plain hash is enough to make a stolen
database useless for logging in; no password hashing needed).

    token = create_token(factory, label="ops laptop")    # print it, never store it
    is_valid(factory, token)                             # True / False
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from microforge.fleet.db import session_scope
from microforge.fleet.tables import TokenRow

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
        found = session.scalar(select(TokenRow.sha256).where(TokenRow.sha256 == digest))
    return found is not None and secrets.compare_digest(found, digest)
