"""Hand-written fakes of the web service's ports: an in-memory database (the same repository
contract runs on it and on PostgreSQL) and a fast password hasher."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from web.domain.sessions import Session
from web.domain.users import User, UserId
from web.domain.views import SavedView, ViewId


@dataclass
class Tables:
    users: dict[str, User] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    views: dict[str, SavedView] = field(default_factory=dict)


class FakeUsers:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    async def get(self, user_id: UserId) -> User | None:
        return self.t.users.get(user_id)

    async def by_username(self, username: str) -> User | None:
        return next((u for u in self.t.users.values() if u.username == username), None)

    async def add(self, user: User) -> None:
        assert await self.by_username(user.username) is None, "unique username"
        self.t.users[user.id] = user

    async def save(self, user: User) -> None:
        self.t.users[user.id] = user

    async def all(self) -> Sequence[User]:
        return sorted(self.t.users.values(), key=lambda u: u.username)


class FakeSessions:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    async def get(self, id_digest: str) -> Session | None:
        return self.t.sessions.get(id_digest)

    async def add(self, session: Session) -> None:
        assert session.user_id in self.t.users, "foreign key"
        self.t.sessions[session.id_digest] = session

    async def seen(self, id_digest: str, at: datetime) -> None:
        if found := self.t.sessions.get(id_digest):
            self.t.sessions[id_digest] = replace(found, last_seen_at=at)

    async def delete(self, id_digest: str) -> None:
        self.t.sessions.pop(id_digest, None)

    async def delete_of_user(self, user_id: UserId) -> int:
        gone = [k for k, s in self.t.sessions.items() if s.user_id == user_id]
        for key in gone:
            del self.t.sessions[key]
        return len(gone)

    async def delete_expired(self, now: datetime, idle_since: datetime) -> int:
        gone = [
            k
            for k, s in self.t.sessions.items()
            if s.expires_at <= now or s.last_seen_at <= idle_since
        ]
        for key in gone:
            del self.t.sessions[key]
        return len(gone)


class FakeViews:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    async def of_user(self, user_id: UserId) -> Sequence[SavedView]:
        mine = [v for v in self.t.views.values() if v.user_id == user_id]
        return sorted(mine, key=lambda v: v.name)

    async def add(self, view: SavedView) -> None:
        assert view.user_id in self.t.users, "foreign key"
        self.t.views[view.id] = view

    async def delete(self, user_id: UserId, view_id: ViewId) -> bool:
        view = self.t.views.get(view_id)
        if view is None or view.user_id != user_id:
            return False
        del self.t.views[view_id]
        return True


class FakeUnitOfWork:
    def __init__(self, tables: Tables) -> None:
        self.users = FakeUsers(tables)
        self.sessions = FakeSessions(tables)
        self.views = FakeViews(tables)


class FakeDatabase:
    """Units of work over in-memory tables; a block that raises leaves them as they were."""

    def __init__(self) -> None:
        self.tables = Tables()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[FakeUnitOfWork]:
        working = copy.deepcopy(self.tables)
        yield FakeUnitOfWork(working)
        self.tables = working


class PlainHasher:
    """Not a hash: for tests of the rules around it (Argon2 is tested on its own)."""

    def hash(self, password: str) -> str:
        return f"plain${password}"

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == f"plain${password}"

    def needs_rehash(self, password_hash: str) -> bool:
        return False

    def burn(self, password: str) -> None:
        self.burned = password
