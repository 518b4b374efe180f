"""The REST API: /api/v1 for clients, /health for probes (gateway.health), OpenAPI at
/openapi.json and /docs.

The one place the gateway is put together: its edge (gateway.edge), the routes of every resource
(a package each), its clients of the services and its stores."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from gateway import health
from gateway.api_keys import routes as api_keys
from gateway.audit import routes as audit
from gateway.billing import routes as billing
from gateway.catalog import routes as catalog
from gateway.clients import Clients
from gateway.config import Settings
from gateway.customers import routes as customers
from gateway.dead_letters import routes as dead_letters
from gateway.dunning import routes as dunning
from gateway.edge import cors, docs, metrics, openapi, problems
from gateway.edge.api_keys import ApiKeys
from gateway.edge.auth import Authentication, Authenticator
from gateway.edge.idempotency import Idempotency
from gateway.edge.limits import BodyLimit, RateLimit, TokenBuckets
from gateway.edge.stores import Stores, open_stores, pruning
from gateway.edge.tracing import TraceContext
from gateway.exchange_rates import routes as exchange_rates
from gateway.inventory import routes as inventory
from gateway.orders import routes as orders
from gateway.payables import routes as payables
from gateway.purchase_orders import routes as purchase_orders
from gateway.quotes import routes as quotes
from gateway.requests import routes as requests
from gateway.rfqs import routes as rfqs
from gateway.stalled import routes as stalled
from gateway.store_orders import routes as store_orders
from gateway.suppliers import routes as suppliers
from gateway.tasks import routes as tasks
from gateway.tax_rules import routes as tax_rules

# Every resource under /api/v1, in the order their routes are matched.
RESOURCES = (
    catalog,
    inventory,
    stalled,
    orders,
    store_orders,
    customers,
    tasks,
    quotes,
    requests,
    billing,
    payables,
    exchange_rates,
    dunning,
    suppliers,
    rfqs,
    purchase_orders,
    tax_rules,
    api_keys,
    audit,
    dead_letters,
)

DESCRIPTION = """Catalog, orders, inventory and shipping, billing, quoting and procurement.

Send `Authorization: Bearer <token>` (a person) or `X-API-Key: <key>` (a machine; an admin issues
keys at /api/v1/api-keys). A POST may carry an `Idempotency-Key` (1-255 visible ASCII
characters): sent again with the same body, it answers the first response again with
`Idempotent-Replayed: true` and does nothing twice; with another body, 422. Each caller may make
a limited number of requests per second (429 with Retry-After beyond it); bodies are capped
(413). Errors are application/problem+json: 503 when a service behind the API cannot be reached,
504 when it does not answer in time (reads are tried again first; writes are not, so resend a
write with its Idempotency-Key). Every list pages the same way: `page_size` (1-200) and
`page_token` in, `next_page_token` out, empty on the last page. A 201 with a Location names the
operation that reads it (docs/api-conventions.md)."""


def create_app(
    settings: Settings, clients: Clients | None = None, stores: Stores | None = None
) -> FastAPI:
    """The API; UnsafeKey when its token keys are missing, weak or published development keys
    outside development mode. Without `stores`, it opens (and migrates) its database at start."""
    authenticator = Authenticator.from_settings(settings)
    app = FastAPI(
        title="Order management suite",
        version="1",
        description=DESCRIPTION,
        docs_url=None,  # gateway.edge.docs serves /docs from local files
        redoc_url=None,
        lifespan=_lifespan(settings, clients, stores),
        # one server span per request, gateway.edge.tracing's (it answers the traceparent and
        # names the caller's trace for the services): FastAPI's own would be a second, beside it
        telemetry={"tracing": False},
    )
    app.state.settings = settings
    if clients is not None:
        app.state.clients = clients
    if stores is not None:
        _use(app, settings, stores)
    problems.install(app)
    for resource in RESOURCES:
        for router in resource.routers:
            app.include_router(router, prefix="/api/v1")
    app.include_router(health.router)
    docs.install(app)
    _add_edge(app, settings, authenticator)
    metrics.install(app)
    openapi.install(app)
    return app


def _use(app: FastAPI, settings: Settings, stores: Stores) -> None:
    app.state.stores = stores
    app.state.api_keys = ApiKeys(stores.api_keys, settings.api_key_cache_seconds)


def _lifespan(
    settings: Settings, clients: Clients | None, stores: Stores | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Opens what was not handed in (the database, the channels) and prunes idempotency
    records, until the app stops."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if stores is None:
                _use(app, settings, await stack.enter_async_context(open_stores(settings)))
            prune = asyncio.create_task(pruning(app.state.stores.idempotency)())
            stack.callback(prune.cancel)
            app.state.clients = clients or Clients.connect(settings)
            await stack.enter_async_context(metrics.serving(app, settings))
            stack.push_async_callback(app.state.clients.close)
            yield

    return lifespan


def _add_edge(app: FastAPI, settings: Settings, authenticator: Authenticator) -> None:
    """The middleware, outermost first: CORS (when configured), trace, crash as problem,
    authentication (headers only), rate limit, body limit (the body is read only here),
    idempotency, then the routes."""
    refuse = problems.send_problem
    app.add_middleware(
        Idempotency,
        store=lambda: app.state.stores.idempotency,
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
        wait_seconds=settings.idempotency_wait_seconds,
        refuse=refuse,
    )
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        refuse=refuse,
    )
    buckets = TokenBuckets(settings.rate_limit_per_second, settings.rate_limit_burst)
    app.add_middleware(RateLimit, buckets=buckets, refuse=refuse)
    app.add_middleware(
        Authentication,
        authenticator=lambda: authenticator,
        machines=lambda: app.state.api_keys,
        refuse=refuse,
    )
    app.add_middleware(problems.CrashAsProblem)
    app.add_middleware(TraceContext)
    cors.install(app, settings)
