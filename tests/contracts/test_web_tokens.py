"""The web pages sign their users' tokens as the identity provider the gateway trusts: with
`make run`'s settings (development mode, the published development key) and with the tests'
(keys of their own, as a deployment), the gateway takes the token as that person."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devstack.topology import Ports, Secrets, gateway_env, web_env
from gateway.config import Settings as GatewaySettings
from gateway.edge.auth import Authenticator, Unauthenticated
from servicekit.auth import UnsafeKey
from testkit.security import session_security
from web.bootstrap import user_tokens
from web.config import Settings as WebSettings
from web.domain.users import User, UserId

PORTS = Ports()
ALICE = User(UserId("u-1"), "alice", "finance", "north", "", True, None)  # type: ignore[arg-type]


def settings_of(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> tuple[WebSettings, GatewaySettings]:
    only(env, monkeypatch)
    return WebSettings(), GatewaySettings()


def only(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway's and the web pages' variables are exactly `env` (session_security() may
    have set the tests' in this process)."""
    for key in os.environ:
        if key.startswith(("GATEWAY_", "WEB_")) and key not in env:
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def development(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    secrets = Secrets(Path("/nowhere"), development_mode=True)
    return {**gateway_env(PORTS, "url", secrets), **web_env(PORTS, "url", secrets)}


def as_in_tests(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    secrets = session_security().secrets
    return {**gateway_env(PORTS, "url", secrets), **web_env(PORTS, "url", secrets)}


@pytest.mark.parametrize("environment", [development, as_in_tests], ids=["make-run", "tests"])
async def test_the_gateway_takes_the_web_pages_token_as_the_person(
    environment: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(monkeypatch)  # type: ignore[operator]
    web, gateway = settings_of(env, monkeypatch)
    token = user_tokens(web).token_for(ALICE)
    person = await Authenticator.from_settings(gateway).person({"authorization": f"Bearer {token}"})
    assert (person.subject, person.roles, person.team) == ("alice", ("finance",), "north")


async def test_a_token_of_another_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    web, _ = settings_of(development(monkeypatch), monkeypatch)
    token = user_tokens(web).token_for(ALICE)
    _, gateway = settings_of(as_in_tests(monkeypatch), monkeypatch)
    with pytest.raises(Unauthenticated):
        await Authenticator.from_settings(gateway).person({"authorization": f"Bearer {token}"})


def test_the_pages_refuse_to_start_without_a_key_outside_development_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secrets = Secrets(Path("/nowhere"), development_mode=False)
    only(web_env(PORTS, "url", secrets), monkeypatch)
    with pytest.raises(UnsafeKey):
        user_tokens(WebSettings())
