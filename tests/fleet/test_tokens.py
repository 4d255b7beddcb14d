from __future__ import annotations

import pytest
from sqlalchemy import select

from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.errors import FleetError
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


def test_revoked_token_is_refused_by_the_api(client) -> None:
    from microforge.fleet.tokens import create_token, list_tokens, revoke_token

    factory = client.app.state.fleet.factory
    other = create_token(factory, "ops laptop")
    ids = {t.label: t.token_id for t in list_tokens(factory)}
    assert set(ids) == {"test", "ops laptop"}
    assert client.get("/api/devices", headers=client.bearer).status_code == 200
    assert revoke_token(factory, ids["test"]) is True
    assert revoke_token(factory, ids["test"]) is False  # already revoked
    r = client.get("/api/devices", headers=client.bearer)
    assert r.status_code == 401 and r.json()["reason"] == "unauthorized"
    assert client.get("/", headers=client.bearer).status_code == 401  # the dashboard too
    assert client.get("/api/devices",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 200
    listed = {t.label: t for t in list_tokens(factory)}
    assert listed["test"].revoked is not None and listed["ops laptop"].revoked is None
    with pytest.raises(FleetError) as e:
        revoke_token(factory, 12345)
    assert e.value.reason == "unknown_token"
