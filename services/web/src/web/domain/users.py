"""The people who sign in to the web pages: a username, one role, a sales team, a password hash,
and whether they may still sign in. An admin manages them; the first admin comes from the
command line (`python -m web create-user`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NewType

from servicekit.auth import ROLES
from servicekit.errors import InvalidArgument, Violations

UserId = NewType("UserId", str)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
TEAM = re.compile(r"^[A-Za-z0-9 ._-]{0,64}$")
# Long passphrases are welcome; a cap keeps hashing a bounded amount of work.
PASSWORD_MIN = 12
PASSWORD_MAX = 256


@dataclass(frozen=True)
class User:
    id: UserId
    username: str
    role: str
    team: str
    password_hash: str
    active: bool
    created_at: datetime
    # The OpenID Connect provider (its issuer) a person signs in through; empty for the users
    # this service keeps passwords for. A provider's person never signs in with a password.
    provider: str = ""

    def deactivated(self) -> User:
        return replace(self, active=False)

    def with_password(self, password_hash: str) -> User:
        return replace(self, password_hash=password_hash)


def check_new_user(username: str, role: str, team: str) -> None:
    """InvalidArgument naming each field that is wrong."""
    wrong = Violations()
    if not USERNAME.match(username):
        wrong.add(
            "username",
            "2 to 64 characters: lower-case letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit",
        )
    if role not in ROLES:
        wrong.add("role", f"one of {', '.join(ROLES)}")
    if not TEAM.match(team):
        wrong.add("team", "at most 64 letters, digits, spaces, '.', '_' or '-'")
    wrong.raise_if_any()


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidArgument.of("password", f"at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise InvalidArgument.of("password", f"at most {PASSWORD_MAX} characters")
