"""The web service as its users' identity provider: a short-lived bearer token per user, signed
with its key (servicekit.auth), carrying the claims the gateway's TokenVerifier reads."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from servicekit.auth import SigningKey, issue_token
from web.domain.users import User


@dataclass
class UserTokens:
    key: SigningKey
    issuer: str
    audience: str
    ttl_seconds: int
    _issued: dict[tuple[str, str, str], tuple[str, float]] = field(default_factory=dict)

    def token_for(self, user: User) -> str:
        """Reused until a minute before it expires (or a third of its life, if shorter)."""
        key = (user.username, user.role, user.team)
        found = self._issued.get(key)
        margin = min(60.0, self.ttl_seconds / 3)
        if found is not None and found[1] > time.time() + margin:
            return found[0]
        token = issue_token(
            self.key,
            issuer=self.issuer,
            audience=self.audience,
            subject=user.username,
            roles=(user.role,),
            ttl_seconds=self.ttl_seconds,
            team=user.team,
        )
        if len(self._issued) >= 4096:
            self._issued.clear()
        self._issued[key] = (token, time.time() + self.ttl_seconds)
        return token
