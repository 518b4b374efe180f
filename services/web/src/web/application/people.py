"""An admin's management of users: create one with a role and a team, deactivate one (their
sessions end at once), set a new password (their sessions end too)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from servicekit.errors import AlreadyExists, InvalidArgument, NotFound
from web.application.ports import PasswordHasher, UnitsOfWork
from web.domain.users import User, UserId, check_new_user, check_password


async def create_user(
    units: UnitsOfWork,
    hasher: PasswordHasher,
    *,
    username: str,
    role: str,
    team: str,
    password: str,
    now: datetime,
) -> User:
    username, team = username.strip().lower(), team.strip()
    check_new_user(username, role, team)
    check_password(password)
    user = User(UserId(str(uuid.uuid4())), username, role, team, hasher.hash(password), True, now)
    async with units() as uow:
        if await uow.users.by_username(username) is not None:
            raise AlreadyExists(f"a user named {username!r} exists")
        await uow.users.add(user)
    return user


async def deactivate_user(units: UnitsOfWork, user_id: UserId) -> User:
    async with units() as uow:
        user = _existing(await uow.users.get(user_id), user_id)
        user = user.deactivated()
        await uow.users.save(user)
        await uow.sessions.delete_of_user(user_id)
    return user


async def reset_password(
    units: UnitsOfWork, hasher: PasswordHasher, user_id: UserId, password: str
) -> User:
    check_password(password)
    async with units() as uow:
        user = _existing(await uow.users.get(user_id), user_id)
        if user.provider:
            raise InvalidArgument.of(
                "password", "this person signs in through the organization's identity provider"
            )
        user = user.with_password(hasher.hash(password))
        await uow.users.save(user)
        await uow.sessions.delete_of_user(user_id)
    return user


async def list_users(units: UnitsOfWork) -> Sequence[User]:
    async with units() as uow:
        return await uow.users.all()


def _existing(user: User | None, user_id: UserId) -> User:
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user
