"""Bearer tokens (JWT, HS256): issued for development, verified by the gateway.

python -m servicekit.auth issue --role sales --subject alice
"""

from __future__ import annotations

import argparse
import os
import time

import jwt

from servicekit.context import Principal

ISSUER = "oms"
ROLES = ("sales", "order-desk", "warehouse", "purchasing", "finance", "admin")
# Development only: deployments set GATEWAY_JWT_SECRET.
DEV_SECRET = "development-only-secret-change-me-in-production"


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed by us."""


def issue_token(secret: str, subject: str, roles: tuple[str, ...], ttl_seconds: int = 86400) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": subject,
        "roles": list(roles),
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    roles = claims.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidToken("roles must be a list of strings")
    return Principal(str(claims["sub"]), tuple(roles))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m servicekit.auth")
    sub = parser.add_subparsers(dest="command", required=True)
    issue = sub.add_parser("issue", help="print a development token")
    issue.add_argument("--role", action="append", choices=ROLES, required=True)
    issue.add_argument("--subject", required=True)
    issue.add_argument("--ttl", type=int, default=86400)
    args = parser.parse_args()
    secret = os.environ.get("GATEWAY_JWT_SECRET", DEV_SECRET)
    print(issue_token(secret, args.subject, tuple(args.role), args.ttl))  # noqa: T201


if __name__ == "__main__":
    main()
