"""Retries that never double: the Idempotency-Key of a POST.

`request_id(request)` is what routes pass to a service as the command's `request_id`: derived
from the caller, the route and the client's key, so the service itself refuses a second effect
even if the gateway's own record of the first response were lost.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request

from servicekit.context import current_principal

HEADER = "Idempotency-Key"
_NAMESPACE = uuid.UUID("9b1f7d52-3c55-4d39-9c7e-2f0d6b6f3a11")


def request_id(request: Request) -> str:
    """A stable id for this caller's request under its Idempotency-Key; empty without one."""
    key = request.headers.get(HEADER, "")
    if not key:
        return ""
    caller = current_principal().subject
    return str(uuid.uuid5(_NAMESPACE, f"{caller}\n{request.method}\n{request.url.path}\n{key}"))
