"""Signing in and out, the session cookie, the throttle, CSRF and Origin on every change, and
a deactivated user's sessions."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from services.web.tests.unit.pages_harness import (
    ORIGIN,
    PASSWORD,
    Harness,
    csrf,
    sign_in,
    sign_in_token,
)
from web.config import Settings
from web.entrypoints import admin, finance, orders, signing, warehouse


async def test_signing_in_sets_a_secure_host_only_session_cookie() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    answer = sign_in(client, "alice")
    assert answer.status_code == 303
    cookie = next(h for h in answer.headers.get_list("set-cookie") if "__Host-session=" in h)
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "Path=/" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Domain" not in cookie
    secret = client.cookies.get("__Host-session")
    assert secret
    assert secret not in repr(harness.database.tables.sessions)
    assert client.get("/users").status_code == 200


async def test_plain_http_cookies_only_when_the_setting_says_so() -> None:
    settings = Settings(database_url="postgresql+asyncpg://x/y", cookie_secure=False)
    harness = Harness(settings=settings)
    await harness.user("alice", "admin")
    client = harness.client()
    answer = sign_in(client, "alice")
    cookie = next(h for h in answer.headers.get_list("set-cookie") if "session=" in h)
    assert cookie.startswith("session=")
    assert "Secure" not in cookie


async def test_a_wrong_password_an_unknown_user_and_a_missing_form_token_are_refused() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    assert sign_in(client, "alice", "wrong password!").status_code == 401
    assert sign_in(client, "mallory").status_code == 401
    forged = client.post(
        "/sign-in", data={"username": "alice", "password": PASSWORD, "sign_in_token": "forged"}
    )
    assert forged.status_code == 403
    assert harness.database.tables.sessions == {}


async def test_sign_in_from_another_site_is_refused() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    token = sign_in_token(client.get("/sign-in"))
    answer = client.post(
        "/sign-in",
        data={"username": "alice", "password": PASSWORD, "sign_in_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403


async def test_failed_sign_ins_are_throttled_per_username() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    for _ in range(5):
        assert sign_in(client, "alice", "wrong password!").status_code == 401
    refused = sign_in(client, "alice")  # the right password, too late
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


async def test_failed_sign_ins_are_throttled_per_address() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    for n in range(5):
        assert sign_in(client, f"guess{n}", "wrong password!").status_code == 401
    assert sign_in(client, "alice").status_code == 429


async def test_signing_in_again_renews_the_session_id() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    sign_in(client, "alice")
    first = client.cookies.get("__Host-session")
    sign_in(client, "alice")
    second = client.cookies.get("__Host-session")
    assert first != second
    assert len(harness.database.tables.sessions) == 1  # the old one is gone


async def test_signing_out_ends_the_session() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    sign_in(client, "alice")
    token = csrf(client.get("/users"))
    kept = client.cookies.get("__Host-session")
    out = client.post("/sign-out", data={"csrf_token": token})
    assert out.status_code == 303
    assert out.headers["location"].startswith("/sign-in")
    assert harness.database.tables.sessions == {}
    client.cookies.set("__Host-session", kept or "", domain="testserver")
    assert client.get("/users").headers["location"] == "/sign-in"


async def test_a_deactivated_users_sessions_end() -> None:
    harness = Harness()
    admin_id = await harness.user("alice", "admin")
    bob_id = await harness.user("bob", "finance")
    admin, bob = harness.client(), harness.client()
    sign_in(admin, "alice")
    sign_in(bob, "bob")
    assert bob.get("/account").status_code == 200
    token = csrf(admin.get("/users"))
    assert admin.post(f"/users/{bob_id}/deactivate", data={"csrf_token": token}).status_code == 303
    assert bob.get("/account").headers["location"] == "/sign-in"
    assert sign_in(bob, "bob").status_code == 401
    assert admin_id in harness.database.tables.users


async def test_a_new_password_ends_the_users_sessions() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    bob_id = await harness.user("bob", "finance")
    admin, bob = harness.client(), harness.client()
    sign_in(admin, "alice")
    sign_in(bob, "bob")
    token = csrf(admin.get("/users"))
    answer = admin.post(
        f"/users/{bob_id}/password", data={"csrf_token": token, "password": "another long one"}
    )
    assert answer.status_code == 303
    assert bob.get("/account").headers["location"] == "/sign-in"
    assert sign_in(bob, "bob", "another long one").status_code == 303


async def test_a_change_needs_the_sessions_csrf_token_in_the_form_or_a_header() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    sign_in(client, "alice")
    token = csrf(client.get("/users"))
    user = {"username": "carol", "role": "sales", "team": "", "password": PASSWORD}
    assert client.post("/users", data=user).status_code == 403
    assert client.post("/users", data={**user, "csrf_token": "guess"}).status_code == 403
    elsewhere = client.post(
        "/users", data={**user, "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert elsewhere.status_code == 403
    assert "carol" not in {u.username for u in harness.database.tables.users.values()}
    by_header = client.post("/users", data=user, headers={"X-CSRF-Token": token, "Origin": ORIGIN})
    assert by_header.status_code == 303
    assert "carol" in {u.username for u in harness.database.tables.users.values()}


async def test_every_change_is_refused_without_the_csrf_token() -> None:
    harness = Harness()
    await harness.user("alice", "admin")
    client = harness.client()
    sign_in(client, "alice")
    routes = list(harness.app.routes)
    routes += [r for m in (signing, admin, orders, warehouse, finance) for r in m.router.routes]
    changes = [
        (route.path, method)
        for route in routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if method not in ("GET", "HEAD") and route.path != "/sign-in"
    ]
    assert len(changes) >= 10
    for path, method in changes:
        url = re.sub(r"\{[^}]+\}", "some-id", path)
        answer = client.request(method, url, data={"csrf_token": "wrong"})
        assert answer.status_code == 403, (path, answer.status_code)
    assert len(harness.database.tables.sessions) == 1  # not even signed out


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("order-desk", "/orders", ["/warehouse", "/finance", "/users"]),
        ("sales", "/orders", ["/warehouse", "/finance", "/users"]),
        ("warehouse", "/warehouse", ["/orders", "/finance", "/users", "/orders/o1"]),
        ("finance", "/finance", ["/orders", "/warehouse", "/users"]),
        ("purchasing", "/purchasing", ["/orders", "/warehouse", "/finance", "/users"]),
    ],
)
async def test_a_page_outside_the_role_answers_403(
    role: str, allowed: str, refused: list[str]
) -> None:
    harness = Harness()
    await harness.user("pat", role)
    client = harness.client()
    sign_in(client, "pat")
    assert client.get("/").headers["location"] == allowed
    for path in refused:
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "does not open this page" in answer.text
        assert f'href="{path}"' not in answer.text  # not in the navigation either
    assert harness.calls == []  # nothing asked of the gateway for a refused page


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    client = Harness().client()
    assert client.get("/orders").headers["location"] == "/sign-in"
    assert client.post("/users", data={}).status_code == 401


def test_pages_are_not_framed_cached_or_fed_from_elsewhere() -> None:
    page = Harness().client().get("/sign-in")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
