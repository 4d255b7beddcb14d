from __future__ import annotations

from sqlalchemy import select

from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.migrate import upgrade
from microforge.fleet.tables import TokenRow
from microforge.fleet.tokens import create_token, is_valid, token_hash


def test_tokens_are_random_verified_and_stored_only_as_hashes(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    factory = session_factory(engine)
    a, b = create_token(factory, "a"), create_token(factory, "b")
    assert a != b and len(a) >= 40
    assert is_valid(factory, a) and is_valid(factory, b)
    assert not is_valid(factory, a[:-1] + ("A" if a[-1] != "A" else "B"))
    assert not is_valid(factory, None) and not is_valid(factory, "") \
        and not is_valid(factory, "x" * 10_000)
    with factory() as s:
        stored = list(s.scalars(select(TokenRow.sha256)))
    assert sorted(stored) == sorted([token_hash(a), token_hash(b)])
    assert a not in stored and b not in stored
    engine.dispose()
