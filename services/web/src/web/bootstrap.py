"""The one place the web service is put together: its database (migrated at start), the
password hasher, the sign-in throttle, its users' token key, the gateway client and the pages;
expired sessions are pruned on a clock while it serves."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial

from fastapi import FastAPI

from servicehost.packaged import alembic_ini
from servicehost.periodic import every
from servicekit.auth import signing_key
from servicekit.db import Database, migrate
from web.adapters.gateway import Gateway
from web.adapters.identity_provider import IdentityProvider
from web.adapters.passwords import Argon2Passwords
from web.adapters.tokens import UserTokens
from web.adapters.unit_of_work import units_of_work
from web.application.accounts import prune_sessions
from web.application.ports import UnitsOfWork
from web.config import Settings
from web.domain.throttle import Throttle
from web.entrypoints.app import create_app, templates
from web.entrypoints.security import Web

NAME = "web"
ALEMBIC_INI = alembic_ini(NAME)
PRUNE_EVERY_SECONDS = 300.0
log = logging.getLogger(__name__)


def user_tokens(settings: Settings) -> UserTokens:
    """UnsafeKey when the key is missing, weak or a published development key outside
    development mode (there, the development identity provider's, which `make run`'s gateway
    trusts)."""
    key = signing_key(
        settings.signing_key_file,
        settings.development_mode,
        "WEB_SIGNING_KEY_FILE",
        "identity-provider",
    )
    return UserTokens(key, settings.token_issuer, settings.token_audience, settings.token_seconds)


def hasher(settings: Settings) -> Argon2Passwords:
    return Argon2Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)


def build(
    settings: Settings, units: UnitsOfWork, gateway: Gateway, tokens: UserTokens | None = None
) -> Web:
    if not settings.cookie_secure and not settings.development_mode:
        log.warning("WEB_COOKIE_SECURE is false: session cookies travel over plain HTTP")
    return Web(
        settings,
        units,
        hasher(settings),
        Throttle(settings.sign_in_failures_per_minute, 60.0),
        tokens or user_tokens(settings),
        gateway,
        templates(),
        IdentityProvider.from_settings(settings),
    )


def application(settings: Settings) -> FastAPI:
    """The service: UnsafeKey at once for a bad key; the database is opened (and migrated) when
    the app starts."""
    tokens = user_tokens(settings)
    database = Database(settings.database_url, pool_size=5)
    units = units_of_work(database)
    gateway = Gateway(settings.gateway_url)
    web = build(settings, units, gateway, tokens)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await migrate(ALEMBIC_INI, settings.database_url)
        job = partial(_prune, units, web)
        pruning = asyncio.create_task(every(PRUNE_EVERY_SECONDS, job, f"{NAME}-sessions")())
        log.info("%s ready on port %s", NAME, settings.http_port)
        try:
            yield
        finally:
            pruning.cancel()
            await gateway.close()
            await database.dispose()

    return create_app(web, lifespan)


async def _prune(units: UnitsOfWork, web: Web) -> int:
    return await prune_sessions(units, web.policy, datetime.now(UTC))
