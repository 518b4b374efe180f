"""Every POST that creates something passes the client's Idempotency-Key on to its service as
the command's request_id (docs/api-conventions.md, Idempotency): the gateway's own record of a
response is lost with a killed gateway or a 503, and only the service's claim then stops a retry
from creating a second document. Each route's own test shows the id reaching its service; this
table keeps a new creating route from forgetting it, and names the exceptions and why."""

from __future__ import annotations

import inspect

from fastapi.routing import APIRoute

from gateway.app import RESOURCES

# "POST path": why a route that answers 201 passes no request_id
EXEMPT = {
    "/api/v1/api-keys": "the gateway's own key, shown once: a retry is answered 409 with its"
    " Location (gateway.edge.idempotency keeps no copy of a secret)",
    "/api/v1/dunning/runs": "each invoice is reminded at each level once: a run sent again"
    " sends nothing new",
    "/api/v1/exchange-rates": "a rate set again for the same day replaces it; the same rate"
    " changes nothing",
    "/api/v1/requests/{request_id}/quote": "a move of the request to quoted: a retry finds it"
    " quoted and is refused with 409, as any move is",
}


def creating_posts() -> dict[str, APIRoute]:
    """The routes the API serves under /api/v1 that POST and answer 201, by path."""
    return {
        f"/api/v1{route.path}": route
        for resource in RESOURCES
        for router in resource.routers
        for route in router.routes
        if isinstance(route, APIRoute) and "POST" in route.methods and route.status_code == 201
    }


def test_every_post_that_creates_passes_its_idempotency_key_on_as_request_id() -> None:
    routes = creating_posts()
    assert len(routes) > 30  # the API's creating routes were found
    forgetting = sorted(
        path
        for path, route in routes.items()
        if path not in EXEMPT and "request_id(request)" not in inspect.getsource(route.endpoint)
    )
    assert forgetting == []
    assert set(EXEMPT) <= set(routes)  # no exception outlives its route
