"""Errors a use case raises on purpose, and how they travel as gRPC status codes.

Domain code raises these; the gRPC interceptor turns them into status codes with
google.rpc.BadRequest field details; the gateway turns those into problem+json.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc


@dataclass(frozen=True)
class FieldViolation:
    """One field at fault: a dotted path as the client sent it ("lines[2].quantity") and why."""

    field: str
    description: str


class ServiceError(Exception):
    """Base of the errors that reach a caller as a status code rather than INTERNAL."""

    code: grpc.StatusCode = grpc.StatusCode.INTERNAL

    def __init__(self, message: str, violations: tuple[FieldViolation, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.violations = violations


class InvalidArgument(ServiceError):
    code = grpc.StatusCode.INVALID_ARGUMENT

    @classmethod
    def of(cls, field: str, description: str) -> InvalidArgument:
        return cls(f"{field}: {description}", (FieldViolation(field, description),))


class NotFound(ServiceError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(ServiceError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(ServiceError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class PermissionDenied(ServiceError):
    code = grpc.StatusCode.PERMISSION_DENIED


class Unauthenticated(ServiceError):
    """The caller did not prove who it is (or on whose behalf it calls)."""

    code = grpc.StatusCode.UNAUTHENTICATED


class Unavailable(ServiceError):
    """A service this one depends on cannot answer now; the caller may retry."""

    code = grpc.StatusCode.UNAVAILABLE


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
