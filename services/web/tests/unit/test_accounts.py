"""The sign-in use cases on the fakes: a session found, kept alive by use, ended by idleness,
its expiry or its user's deactivation; a password rehashed when its parameters are old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.web.tests.unit.fakes import FakeDatabase, PlainHasher
from web.application.accounts import SignInRefused, Throttled, current, sign_in
from web.application.people import create_user, deactivate_user
from web.domain.sessions import SessionPolicy
from web.domain.throttle import Throttle

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = SessionPolicy(timedelta(hours=8), timedelta(minutes=30))
PASSWORD = "a long enough password"


class OldHashes(PlainHasher):
    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.endswith("#new")

    def hash(self, password: str) -> str:
        return f"plain${password}#new"

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash.removesuffix("#new") == f"plain${password}"


async def signed_in(db: FakeDatabase, hasher: PlainHasher | None = None) -> str:
    await create_user(
        db, PlainHasher(), username="ann", role="finance", team="", password=PASSWORD, now=NOW
    )
    signed = await sign_in(
        db,
        hasher or PlainHasher(),
        Throttle(5, 60),
        POLICY,
        username="ANN",
        password=PASSWORD,
        address="10.0.0.1",
        now=NOW,
    )
    return signed.secret


async def test_a_session_lives_while_it_is_used_until_its_expiry() -> None:
    db = FakeDatabase()
    secret = await signed_in(db)
    at = NOW
    for _ in range(15):  # a request every 29 minutes keeps it alive...
        at += timedelta(minutes=29)
        found = await current(db, POLICY, secret, at)
        assert found is not None
        assert found.user.username == "ann"
    assert at > NOW + timedelta(hours=7)
    assert await current(db, POLICY, secret, NOW + POLICY.lifetime) is None  # ...until it expires
    assert db.tables.sessions == {}


async def test_an_idle_session_ends_and_is_deleted() -> None:
    db = FakeDatabase()
    secret = await signed_in(db)
    assert await current(db, POLICY, secret, NOW + timedelta(minutes=31)) is None
    assert db.tables.sessions == {}
    assert await current(db, POLICY, "", NOW) is None


async def test_a_deactivated_user_cannot_sign_in_and_their_sessions_end() -> None:
    db = FakeDatabase()
    secret = await signed_in(db)
    user = next(iter(db.tables.users.values()))
    await deactivate_user(db, user.id)
    assert await current(db, POLICY, secret, NOW) is None
    with pytest.raises(SignInRefused):
        await sign_in(
            db,
            PlainHasher(),
            Throttle(5, 60),
            POLICY,
            username="ann",
            password=PASSWORD,
            address="a",
            now=NOW,
        )


async def test_an_old_hash_is_redone_at_sign_in() -> None:
    db = FakeDatabase()
    await signed_in(db, OldHashes())
    (user,) = db.tables.users.values()
    assert user.password_hash.endswith("#new")


async def test_throttled_sign_ins_say_how_long_to_wait() -> None:
    db = FakeDatabase()
    throttle = Throttle(2, 60)
    for _ in range(2):
        with pytest.raises(SignInRefused):
            await sign_in(
                db, PlainHasher(), throttle, POLICY,
                username="nobody", password="x", address="b", now=NOW,
            )  # fmt: skip
    with pytest.raises(Throttled) as refused:
        await sign_in(
            db, PlainHasher(), throttle, POLICY,
            username="nobody", password="x", address="c", now=NOW + timedelta(seconds=10),
        )  # fmt: skip
    assert refused.value.retry_after == pytest.approx(50)
