"""gRPC failures as Python exceptions, one class per status a caller handles differently, each
carrying the server's message and the fields at fault (google.rpc.BadRequest details)."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from google.rpc import error_details_pb2, status_pb2

_DETAILS_KEY = "grpc-status-details-bin"


@dataclass(frozen=True)
class FieldViolation:
    """One field at fault, as a dotted path into the request ("lines[2].quantity"), and why."""

    field: str
    description: str


class ServiceError(Exception):
    """A call that did not succeed. `code` is the gRPC status name ("NOT_FOUND"), `method` the
    RPC's path, `violations` the fields at fault (for INVALID_ARGUMENT, usually)."""

    def __init__(
        self,
        code: str,
        message: str,
        method: str = "",
        violations: tuple[FieldViolation, ...] = (),
    ) -> None:
        super().__init__(f"{code}: {message}" + (f" ({method})" if method else ""))
        self.code = code
        self.message = message
        self.method = method
        self.violations = violations


class InvalidArgument(ServiceError):
    """The request is wrong: `violations` names each field at fault. Do not retry as is."""


class NotFound(ServiceError):
    """No such entity (or none this client may see)."""


class AlreadyExists(ServiceError):
    """The request id or natural key was used before with other content."""


class FailedPrecondition(ServiceError):
    """The entity is not in a state that allows this (an order already shipped, ...)."""


class PermissionDenied(ServiceError):
    """This client's scopes do not cover the RPC (or it is not registered any more)."""


class Unauthenticated(ServiceError):
    """The server could not tell who is calling."""


class ResourceExhausted(ServiceError):
    """A limit was reached (message size, rate)."""


class DeadlineExceeded(ServiceError):
    """No answer within the call's deadline; a write may or may not have happened."""


class Unavailable(ServiceError):
    """The service cannot be reached or cannot answer now (reads were already retried)."""


class Internal(ServiceError):
    """The service failed; its logs say why."""


_BY_CODE: dict[str, type[ServiceError]] = {
    "INVALID_ARGUMENT": InvalidArgument,
    "OUT_OF_RANGE": InvalidArgument,
    "NOT_FOUND": NotFound,
    "ALREADY_EXISTS": AlreadyExists,
    "FAILED_PRECONDITION": FailedPrecondition,
    "ABORTED": FailedPrecondition,
    "PERMISSION_DENIED": PermissionDenied,
    "UNAUTHENTICATED": Unauthenticated,
    "RESOURCE_EXHAUSTED": ResourceExhausted,
    "DEADLINE_EXCEEDED": DeadlineExceeded,
    "UNAVAILABLE": Unavailable,
    "INTERNAL": Internal,
    "UNKNOWN": Internal,
    "DATA_LOSS": Internal,
}


def violations_in(details: bytes) -> tuple[FieldViolation, ...]:
    """The field violations of a serialized google.rpc.Status (`grpc-status-details-bin`)."""
    found: list[FieldViolation] = []
    for detail in status_pb2.Status.FromString(details).details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            found += [FieldViolation(v.field, v.description) for v in bad_request.field_violations]
    return tuple(found)


def error_of(
    code: str, message: str, method: str = "", details: bytes | None = None
) -> ServiceError:
    """The exception for a status `code` (its name), with the violations `details` carries."""
    violations = violations_in(details) if details else ()
    return _BY_CODE.get(code, ServiceError)(code, message, method, violations)


def translate(error: grpc.aio.AioRpcError, method: str = "") -> ServiceError:
    """The exception for a failed call."""
    details = next(
        (
            value
            for key, value in (error.trailing_metadata() or ())
            if key == _DETAILS_KEY and isinstance(value, bytes)
        ),
        None,
    )
    code: str = error.code().name
    message: str = error.details() or ""
    return error_of(code, message, method, details)
