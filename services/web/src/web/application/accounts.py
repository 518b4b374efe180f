"""Signing in and out, and finding the session a request's cookie names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from servicekit.context import Principal
from web.application.ports import PasswordHasher, UnitsOfWork
from web.domain.sessions import Session, SessionPolicy, digest, open_session
from web.domain.throttle import Throttle
from web.domain.users import PASSWORD_MAX, USERNAME, User, UserId


class SignInRefused(Exception):
    """Unknown username, wrong password or a deactivated user: the page says no more."""


class Throttled(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after:.0f} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignedIn:
    secret: str  # for the cookie; the server keeps only its digest
    session: Session
    user: User


@dataclass(frozen=True)
class Current:
    session: Session
    user: User


async def sign_in(
    units: UnitsOfWork,
    hasher: PasswordHasher,
    throttle: Throttle,
    policy: SessionPolicy,
    *,
    username: str,
    password: str,
    address: str,
    now: datetime,
) -> SignedIn:
    """A new session for the user; SignInRefused, or Throttled after too many failures for the
    username or from the address."""
    keys = (f"user:{username.lower()}", f"address:{address}")
    clock = now.timestamp()
    wait = max(throttle.retry_after(key, clock) for key in keys)
    if wait > 0:
        raise Throttled(wait)
    async with units() as uow:
        user = await uow.users.by_username(username.lower())
        if user is None or user.provider or len(password) > PASSWORD_MAX:
            hasher.burn(password[:PASSWORD_MAX])
            ok = False
        else:
            ok = hasher.verify(user.password_hash, password)
        if user is None or not ok or not user.active:
            for key in keys:
                throttle.failed(key, clock)
            raise SignInRefused("wrong username or password")
        if hasher.needs_rehash(user.password_hash):
            user = user.with_password(hasher.hash(password))
            await uow.users.save(user)
        secret, session = open_session(user.id, now, policy)
        await uow.sessions.add(session)
    return SignedIn(secret, session, user)


async def sign_in_through_provider(
    units: UnitsOfWork,
    policy: SessionPolicy,
    *,
    issuer: str,
    person: Principal,
    access_token: str,
    access_expires_at: datetime,
    now: datetime,
) -> SignedIn:
    """A new session for a person the organization's provider vouched for (their access token
    verified), kept as a user of that provider with the role and team it gives them now.
    SignInRefused when the name is not one the pages can keep, when the provider grants no role
    of the suite, when a local user (or another provider's) holds the name, or when an admin
    deactivated them."""
    username = person.subject.lower()
    if not USERNAME.match(username):
        raise SignInRefused(f"the identity provider names you {person.subject!r}, not a username")
    if not person.roles:
        raise SignInRefused("the identity provider grants you no role in the suite")
    role = person.roles[0]
    async with units() as uow:
        user = await uow.users.by_username(username)
        if user is None:
            user = User(
                UserId(str(uuid.uuid4())), username, role, person.team, "", True, now, issuer
            )
            await uow.users.add(user)
        elif user.provider != issuer:
            raise SignInRefused(f"the username {username} belongs to another account")
        elif not user.active:
            raise SignInRefused("your account here was deactivated")
        elif (user.role, user.team) != (role, person.team):
            user = replace(user, role=role, team=person.team)
            await uow.users.save(user)
        secret, session = open_session(user.id, now, policy, access_token, access_expires_at)
        await uow.sessions.add(session)
    return SignedIn(secret, session, user)


async def current(
    units: UnitsOfWork, policy: SessionPolicy, secret: str, now: datetime
) -> Current | None:
    """The live session the cookie's secret names, with its active user; None (and the session
    deleted) when it expired, idled out or its user was deactivated."""
    if not secret:
        return None
    key = digest(secret)
    async with units() as uow:
        session = await uow.sessions.get(key)
        if session is None:
            return None
        user = await uow.users.get(session.user_id)
        if user is None or not user.active or not session.live(now, policy):
            await uow.sessions.delete(key)
            return None
        touched = session.touched(now)
        if touched is not None:
            await uow.sessions.seen(key, now)
            session = touched
    return Current(session, user)


async def sign_out(units: UnitsOfWork, secret: str) -> None:
    async with units() as uow:
        await uow.sessions.delete(digest(secret))


async def prune_sessions(units: UnitsOfWork, policy: SessionPolicy, now: datetime) -> int:
    """Deletes the sessions past their expiry or idle timeout."""
    async with units() as uow:
        return await uow.sessions.delete_expired(now, now - policy.idle)
