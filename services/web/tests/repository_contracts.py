"""One contract for the web service's repositories, run on the fakes (unit tier) and on
PostgreSQL (integration tier), so the fake cannot drift from the real adapter."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from web.domain.sessions import SessionPolicy, open_session
from web.domain.users import User, UserId
from web.domain.views import SavedView, ViewId

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = SessionPolicy(timedelta(hours=8), timedelta(minutes=30))


def a_user(name: str = "", role: str = "order-desk") -> User:
    return User(
        UserId(str(uuid.uuid4())),
        name or f"u{uuid.uuid4().hex[:8]}",
        role,
        "north",
        "hash",
        True,
        NOW,
    )


async def users_are_kept_found_by_name_and_changed(units: Any) -> None:
    user = a_user()
    async with units() as uow:
        await uow.users.add(user)
    async with units() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.by_username(user.username) == user
        assert await uow.users.by_username("nobody-here") is None
        await uow.users.save(user.deactivated().with_password("other"))
    async with units() as uow:
        found = await uow.users.get(user.id)
        assert found is not None
        assert (found.active, found.password_hash) == (False, "other")
        assert user.username in [u.username for u in await uow.users.all()]


async def a_failed_unit_of_work_keeps_nothing(units: Any) -> None:
    user = a_user()
    try:
        async with units() as uow:
            await uow.users.add(user)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    async with units() as uow:
        assert await uow.users.get(user.id) is None


async def sessions_are_kept_touched_and_deleted(units: Any) -> None:
    user, other = a_user(), a_user()
    _, first = open_session(user.id, NOW, POLICY)
    _, second = open_session(user.id, NOW, POLICY)
    _, theirs = open_session(other.id, NOW, POLICY)
    async with units() as uow:
        await uow.users.add(user)
        await uow.users.add(other)
        for session in (first, second, theirs):
            await uow.sessions.add(session)
    later = NOW + timedelta(minutes=5)
    async with units() as uow:
        assert await uow.sessions.get(first.id_digest) == first
        await uow.sessions.seen(first.id_digest, later)
    async with units() as uow:
        found = await uow.sessions.get(first.id_digest)
        assert found is not None
        assert found.last_seen_at == later
        assert await uow.sessions.delete_of_user(user.id) == 2
        assert await uow.sessions.get(second.id_digest) is None
        assert await uow.sessions.get(theirs.id_digest) == theirs
        await uow.sessions.delete(theirs.id_digest)
        assert await uow.sessions.get(theirs.id_digest) is None


async def expired_and_idle_sessions_are_pruned(units: Any) -> None:
    user = a_user()
    _, fresh = open_session(user.id, NOW, POLICY)
    _, idle = open_session(user.id, NOW - timedelta(hours=1), POLICY)
    _, expired = open_session(user.id, NOW - timedelta(hours=9), POLICY)
    async with units() as uow:
        await uow.users.add(user)
        for session in (fresh, idle, expired):
            await uow.sessions.add(session)
    async with units() as uow:
        await uow.sessions.seen(expired.id_digest, NOW)  # used lately, but past its lifetime
        assert await uow.sessions.delete_expired(NOW, NOW - POLICY.idle) == 2
        assert await uow.sessions.get(fresh.id_digest) == fresh


async def saved_views_belong_to_their_user(units: Any) -> None:
    user, other = a_user(), a_user()
    view = SavedView(ViewId(str(uuid.uuid4())), user.id, "Open EUR", {"status": "execution"})
    async with units() as uow:
        await uow.users.add(user)
        await uow.users.add(other)
        await uow.views.add(view)
    async with units() as uow:
        assert list(await uow.views.of_user(user.id)) == [view]
        assert list(await uow.views.of_user(other.id)) == []
        assert not await uow.views.delete(other.id, view.id)
        assert await uow.views.delete(user.id, view.id)
        assert list(await uow.views.of_user(user.id)) == []


CONTRACTS = (
    users_are_kept_found_by_name_and_changed,
    a_failed_unit_of_work_keeps_nothing,
    sessions_are_kept_touched_and_deleted,
    expired_and_idle_sessions_are_pruned,
    saved_views_belong_to_their_user,
)
