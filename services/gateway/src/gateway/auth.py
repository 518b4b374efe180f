"""Who is calling: a verified bearer token, and whether its roles allow this request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.auth import InvalidToken, verify_token
from servicekit.context import Principal, acting

bearer = HTTPBearer(auto_error=False, description="JWT signed with the gateway's secret")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require(*roles: str) -> Any:
    """A dependency: the caller's principal, acting for the rest of the request.

    Without roles, any authenticated caller passes; `admin` passes everywhere."""

    async def principal(request: Request, credentials: Credentials) -> AsyncIterator[Principal]:
        if credentials is None:
            raise HTTPException(401, "a bearer token is required", headers=CHALLENGE)
        try:
            caller = verify_token(request.app.state.settings.jwt_secret, credentials.credentials)
        except InvalidToken as error:
            raise HTTPException(401, f"invalid token: {error}", headers=CHALLENGE) from error
        if roles and not caller.has_any(*roles):
            raise HTTPException(403, f"this needs one of the roles: {', '.join(roles)}")
        with acting(caller, request.headers.get("x-correlation-id")):
            yield caller

    return Depends(principal)


AnyUser: Any = require()
