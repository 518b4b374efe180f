"""Errors a domain or use case raises on purpose. Plain Python: no transport in sight.

Each names the standard status it travels as (`Code`, gRPC's names); the gRPC server adapter
(servicekit.grpc) turns them into status codes with google.rpc.BadRequest field details, and the
gateway turns those into problem+json.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    """The status an error travels as, named as gRPC names it."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class FieldViolation:
    """One field at fault: a dotted path as the client sent it ("lines[2].quantity") and why."""

    field: str
    description: str


class ServiceError(Exception):
    """Base of the errors that reach a caller as a status code rather than INTERNAL."""

    code: Code = Code.INTERNAL

    def __init__(self, message: str, violations: tuple[FieldViolation, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.violations = violations


class InvalidArgument(ServiceError):
    code = Code.INVALID_ARGUMENT

    @classmethod
    def of(cls, field: str, description: str) -> InvalidArgument:
        return cls(f"{field}: {description}", (FieldViolation(field, description),))


class NotFound(ServiceError):
    code = Code.NOT_FOUND


class AlreadyExists(ServiceError):
    code = Code.ALREADY_EXISTS


class FailedPrecondition(ServiceError):
    code = Code.FAILED_PRECONDITION


class PermissionDenied(ServiceError):
    code = Code.PERMISSION_DENIED


class Unauthenticated(ServiceError):
    """The caller did not prove who it is (or on whose behalf it calls)."""

    code = Code.UNAUTHENTICATED


class Unavailable(ServiceError):
    """A service this one depends on cannot answer now; the caller may retry."""

    code = Code.UNAVAILABLE


class Violations:
    """Collects every field at fault before failing, so a client sees all of them at once."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, field: str, description: str) -> None:
        self.items.append(FieldViolation(field, description))

    def raise_if_any(self) -> None:
        if self.items:
            summary = "; ".join(f"{v.field}: {v.description}" for v in self.items)
            raise InvalidArgument(summary, tuple(self.items))
