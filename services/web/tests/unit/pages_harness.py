"""The web app on fakes: an in-memory database, a plain hasher, a key of its own, and the
gateway answered by a handler the test gives (httpx.MockTransport)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from fastapi.testclient import TestClient

from servicekit.auth import SigningKey
from services.web.tests.unit.fakes import FakeDatabase, PlainHasher
from web.adapters.gateway import Gateway
from web.adapters.tokens import UserTokens
from web.application.people import create_user
from web.config import Settings
from web.domain.throttle import Throttle
from web.entrypoints.app import create_app, templates
from web.entrypoints.security import Web

PASSWORD = "a long enough password"
ORIGIN = "https://testserver"


def fresh_key() -> SigningKey:
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningKey.from_pem(pem)


Handler = Callable[[httpx.Request], httpx.Response]


def empty_gateway(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json={"detail": "not here"})


@dataclass
class Harness:
    handler: Handler = empty_gateway
    settings: Settings = field(
        default_factory=lambda: Settings(database_url="postgresql+asyncpg://unused/none")
    )
    database: FakeDatabase = field(default_factory=FakeDatabase)
    key: SigningKey = field(default_factory=fresh_key)
    calls: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        def record(request: httpx.Request) -> httpx.Response:
            self.calls.append(request)
            return self.handler(request)

        tokens = UserTokens(self.key, "test-idp", "oms-api", 300)
        gateway = Gateway("http://gateway.test", httpx.MockTransport(record))
        self.web = Web(
            self.settings,
            self.database,
            PlainHasher(),
            Throttle(self.settings.sign_in_failures_per_minute, 60.0),
            tokens,
            gateway,
            templates(),
        )
        self.app = create_app(self.web)

    def client(self) -> TestClient:
        scheme = "https" if self.settings.cookie_secure else "http"
        return TestClient(self.app, base_url=f"{scheme}://testserver", follow_redirects=False)

    async def user(self, username: str, role: str, team: str = "") -> str:
        user = await create_user(
            self.database,
            PlainHasher(),
            username=username,
            role=role,
            team=team,
            password=PASSWORD,
            now=datetime.now(UTC),
        )
        return user.id


def sign_in_token(page: httpx.Response) -> str:
    found = re.search(r'name="sign_in_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    token = sign_in_token(client.get("/sign-in"))
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "sign_in_token": token},
        headers={"Origin": str(client.base_url).rstrip("/")},
    )


def json_answer(routes: dict[str, Any]) -> Handler:
    """A gateway answering each path (without /api/v1) with its JSON, or with (status, JSON)."""

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        found = routes.get(path)
        if found is None:
            return httpx.Response(404, json={"detail": f"no {path}"})
        if isinstance(found, tuple):
            return httpx.Response(found[0], json=found[1])
        return httpx.Response(200 if request.method == "GET" else 201, json=found)

    return handle
