"""What the OpenAPI document says, and the document itself.

Errors: every one is application/problem+json (RFC 9457), the shape gateway.edge.problems answers
with. Routes name the statuses they can answer (`responses=problems(404, 409)`); the ones any
/api/v1 route can answer (400, 401, 403, 422, 429, 503, 504; 413 with a body; 409 for a POST
whose Idempotency-Key is still in use) are added to every operation when the document is built
(`document`), which also replaces FastAPI's own 422 schemas with Problem.

Created resources: a route that answers 201 with a Location says so with `located(...)`, naming
the GET operation the Location is the URL of (an OpenAPI link, which a test resolves)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from gateway.edge.problems import TITLES

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/v1/"
PROBLEM_REF = "#/components/schemas/Problem"

_MEANINGS = {
    400: "The request cannot be read (a header or token that is malformed).",
    401: "No valid bearer token or API key.",
    403: "Your role may not do this, or not to this resource.",
    404: "There is no such resource, or it is not yours to see.",
    409: "The resource is not in a state that allows this (or it already exists).",
    413: "The body is larger than the gateway accepts.",
    422: "The body or a parameter does not match its schema; `errors` names each field.",
    429: "Too many requests from you; wait for the seconds in Retry-After.",
    500: "The gateway failed; nothing was said about your request.",
    503: "A service behind the API cannot be reached now; try again later.",
    504: "A service behind the API did not answer in time.",
}
# What any /api/v1 operation can answer, whatever its route: a malformed header or token (400),
# no identity (401), a role the route refuses (403), a parameter or body that does not match
# (422), the caller's rate limit (429) and a service that cannot answer (503, 504).
EVERY_API_STATUS = (400, 401, 403, 422, 429, 503, 504)
# With a request body: more than the gateway reads.
BODY_STATUS = 413
_IDEMPOTENCY_409 = (
    "Or a request with the same Idempotency-Key is still running (retry after Retry-After), or "
    "that request created a secret that is not shown twice."
)
_RETRY_AFTER = {
    "description": "seconds to wait before trying again",
    "schema": {"type": "integer", "minimum": 1},
}
_SUCCESS = {"200": "OK.", "201": "Created.", "204": "Done; no body."}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    409: {"Retry-After": _RETRY_AFTER},
    429: {"Retry-After": _RETRY_AFTER},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "1-255 visible ASCII characters. Sent again with the same request, the first "
    "response is answered again (with `Idempotent-Replayed: true`) and nothing is done twice; "
    "with a different request, 422.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "example": "3f1c9a52-order-1001",
}
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A person, signed in with the identity provider the gateway trusts.",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "A machine; an admin issues keys at /api/v1/api-keys.",
    },
}
TAGS = [
    {"name": "catalog", "description": "Products, categories, price lists and tax rules."},
    {"name": "inventory", "description": "Warehouses, stock, receipts, shipments and returns."},
    {
        "name": "orders",
        "description": "Sales orders, their pipeline, history, timeline, costs and reports.",
    },
    {"name": "customers", "description": "The customer master."},
    {"name": "tasks", "description": "Tasks on sales orders, quotes and customer requests."},
    {"name": "quoting", "description": "Quotes, their PDFs and templates."},
    {"name": "billing", "description": "Invoices, payments, credit notes, payables and dunning."},
    {"name": "procurement", "description": "Suppliers, RFQs, purchase orders, reorder rules."},
    {"name": "api keys", "description": "Keys for machines, issued and revoked by an admin."},
    {"name": "audit", "description": "Who did what, for admins."},
    {"name": "health", "description": "Probes for the platform; outside /api/v1, no identity."},
]


class FieldProblem(BaseModel):
    """One field at fault: its path in the request (`lines[0].quantity`) and what is wrong."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"field": "lines[0].quantity", "detail": "too small"}]}
    )

    field: str = Field(examples=["lines[0].quantity"])
    detail: str = Field(examples=["must be at least 1"])


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (application/problem+json)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Invalid request",
                    "status": 422,
                    "detail": "the request does not match its schema",
                    "instance": "/api/v1/sales-orders",
                    "errors": [{"field": "lines[0].quantity", "detail": "too small"}],
                }
            ]
        }
    )

    type: str = Field("about:blank", description="always about:blank: the status says it all")
    title: str = Field(examples=["Invalid request"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["the request does not match its schema"])
    instance: str = Field(examples=["/api/v1/sales-orders"], description="the request's path")
    errors: list[FieldProblem] | None = Field(None, description="the fields at fault, if any")


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that can answer these statuses as problems."""
    return {
        status: {"model": Problem, "description": _MEANINGS[status], "content": {PROBLEM_JSON: {}}}
        for status in statuses
    }


def located(
    operation_id: str, parameter: str, description: str = "Created."
) -> dict[int | str, Any]:
    """`responses=` for a route that answers 201 with a Location: the URL of the resource the
    GET operation `operation_id` reads, whose path `parameter` is the created body's `id`."""
    return {
        201: {
            "description": f"{description} Location is its URL ({operation_id}).",
            "headers": {
                "Location": {
                    "description": f"the created resource: GET it with {operation_id}",
                    "schema": {"type": "string"},
                }
            },
            "links": {
                operation_id: {
                    "operationId": operation_id,
                    "parameters": {parameter: "$response.body#/id"},
                    "description": "the resource the Location names",
                }
            },
        }
    }


def install(app: FastAPI) -> None:
    """Serve `document(app)` at /openapi.json (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as the gateway behaves: FastAPI's, with every error a problem."""
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=TAGS,
        servers=app.servers,
    )
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    spec["components"]["securitySchemes"] = SECURITY_SCHEMES
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            _complete(path, method, operation)
    return spec


def _complete(path: str, method: str, operation: dict[str, Any]) -> None:
    """One operation as the edge makes it behave: its errors, identity and idempotency."""
    responses = operation.setdefault("responses", {})
    if path.startswith(API_PREFIX):
        operation["security"] = [{"bearer": []}, {"apiKey": []}]
        statuses: set[int] = set(EVERY_API_STATUS)
        if "requestBody" in operation:
            statuses.add(BODY_STATUS)
        if method == "post":
            statuses.add(409)
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
                parameters.append(copy.deepcopy(IDEMPOTENCY_KEY))
        for status in sorted(statuses):
            if str(status) in responses:
                continue
            meaning = _MEANINGS[status]
            if status == 409:  # a POST that names no 409 of its own: idempotency's only
                meaning = _IDEMPOTENCY_409.replace("Or a", "A", 1)
            responses[str(status)] = {"description": meaning}
        if method == "post" and "Idempotency-Key" not in responses["409"]["description"]:
            responses["409"]["description"] += " " + _IDEMPOTENCY_409
    else:
        operation["security"] = []
    for code, response in responses.items():
        if response.get("description") == "Successful Response":  # FastAPI's, for any 2xx
            response["description"] = _SUCCESS.get(code, "Done.")
        if code.isdigit() and int(code) >= 400:
            _as_problem(path, int(code), response)
    operation["responses"] = dict(sorted(responses.items()))


def _as_problem(path: str, status: int, response: dict[str, Any]) -> None:
    """`response` as application/problem+json of Problem, with an example and its headers."""
    if response.get("description") in (None, "", "Validation Error"):
        response["description"] = _MEANINGS.get(status, "An error.")
    response["content"] = {
        PROBLEM_JSON: {
            "schema": {"$ref": PROBLEM_REF},
            "example": {
                "type": "about:blank",
                "title": TITLES.get(status, "Error"),
                "status": status,
                "detail": _MEANINGS.get(status, "an error"),
                "instance": path,
            },
        }
    }
    if status in _HEADERS:
        response.setdefault("headers", {}).update(copy.deepcopy(_HEADERS[status]))
