"""The repositories on PostgreSQL, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update

from servicekit.db import Database, Transaction
from web.adapters.tables import saved_views, sessions, users
from web.domain.sessions import Session
from web.domain.users import User, UserId
from web.domain.views import SavedView, ViewId


def _user(row: Any) -> User:
    return User(
        UserId(row.id),
        row.username,
        row.role,
        row.team,
        row.password_hash,
        row.active,
        row.created_at,
        row.provider,
    )


def _session(row: Any) -> Session:
    return Session(
        row.id_digest,
        UserId(row.user_id),
        row.csrf_token,
        row.created_at,
        row.last_seen_at,
        row.expires_at,
        row.access_token,
    )


class SqlUsers:
    def __init__(self, session: Transaction) -> None:
        self.db = session

    async def get(self, user_id: UserId) -> User | None:
        row = (await self.db.execute(select(users).where(users.c.id == user_id))).first()
        return _user(row) if row else None

    async def by_username(self, username: str) -> User | None:
        query = select(users).where(users.c.username == username)
        row = (await self.db.execute(query)).first()
        return _user(row) if row else None

    async def add(self, user: User) -> None:
        await self.db.execute(insert(users).values(**_user_values(user)))

    async def save(self, user: User) -> None:
        values = _user_values(user)
        await self.db.execute(update(users).where(users.c.id == user.id).values(**values))

    async def all(self) -> Sequence[User]:
        rows = await self.db.execute(select(users).order_by(users.c.username))
        return [_user(row) for row in rows]


def _user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "team": user.team,
        "password_hash": user.password_hash,
        "active": user.active,
        "created_at": user.created_at,
        "provider": user.provider,
    }


class SqlSessions:
    def __init__(self, session: Transaction) -> None:
        self.db = session

    async def get(self, id_digest: str) -> Session | None:
        query = select(sessions).where(sessions.c.id_digest == id_digest)
        row = (await self.db.execute(query)).first()
        return _session(row) if row else None

    async def add(self, session: Session) -> None:
        await self.db.execute(
            insert(sessions).values(
                id_digest=session.id_digest,
                user_id=session.user_id,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                last_seen_at=session.last_seen_at,
                expires_at=session.expires_at,
                access_token=session.access_token,
            )
        )

    async def seen(self, id_digest: str, at: datetime) -> None:
        await self.db.execute(
            update(sessions).where(sessions.c.id_digest == id_digest).values(last_seen_at=at)
        )

    async def delete(self, id_digest: str) -> None:
        await self.db.execute(delete(sessions).where(sessions.c.id_digest == id_digest))

    async def delete_of_user(self, user_id: UserId) -> int:
        result = await self.db.execute(delete(sessions).where(sessions.c.user_id == user_id))
        return int(result.rowcount)

    async def delete_expired(self, now: datetime, idle_since: datetime) -> int:
        result = await self.db.execute(
            delete(sessions).where(
                or_(sessions.c.expires_at <= now, sessions.c.last_seen_at <= idle_since)
            )
        )
        return int(result.rowcount)


class SqlSavedViews:
    def __init__(self, session: Transaction) -> None:
        self.db = session

    async def of_user(self, user_id: UserId) -> Sequence[SavedView]:
        query = (
            select(saved_views).where(saved_views.c.user_id == user_id).order_by(saved_views.c.name)
        )
        return [
            SavedView(ViewId(r.id), UserId(r.user_id), r.name, dict(r.filters))
            for r in await self.db.execute(query)
        ]

    async def add(self, view: SavedView) -> None:
        await self.db.execute(
            insert(saved_views).values(
                id=view.id, user_id=view.user_id, name=view.name, filters=view.filters
            )
        )

    async def delete(self, user_id: UserId, view_id: ViewId) -> bool:
        result = await self.db.execute(
            delete(saved_views).where(saved_views.c.id == view_id, saved_views.c.user_id == user_id)
        )
        return bool(result.rowcount)


class SqlUnitOfWork:
    def __init__(self, session: Transaction) -> None:
        self.users = SqlUsers(session)
        self.sessions = SqlSessions(session)
        self.views = SqlSavedViews(session)


def units_of_work(database: Database) -> Any:
    """A UnitsOfWork over `database`."""

    @asynccontextmanager
    async def unit() -> AsyncIterator[SqlUnitOfWork]:
        async with database.transaction() as session:
            yield SqlUnitOfWork(session)

    return unit
