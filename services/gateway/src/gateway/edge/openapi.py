"""What the OpenAPI document says about errors: every one is application/problem+json (RFC 9457),
the shape gateway.edge.problems answers with. Routes name the statuses they can answer
(`responses=problems(404, 409)`); the ones any route can answer are added to every operation
when the document is built."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"

_MEANINGS = {
    400: "The request cannot be read (a header or token that is malformed).",
    401: "No valid bearer token or API key.",
    403: "Your role may not do this, or not to this resource.",
    404: "There is no such resource, or it is not yours to see.",
    409: "The resource is not in a state that allows this (or it already exists).",
    413: "The body is larger than the gateway accepts.",
    422: "The body or a parameter does not match its schema; `errors` names each field.",
    429: "Too many requests from you; wait for the seconds in Retry-After.",
    503: "A service behind the API cannot be reached now; try again later.",
    504: "A service behind the API did not answer in time.",
}


class FieldProblem(BaseModel):
    """One field at fault: its path in the request (`lines[0].quantity`) and what is wrong."""

    field: str = Field(examples=["lines[0].quantity"])
    detail: str = Field(examples=["must be at least 1"])


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

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
