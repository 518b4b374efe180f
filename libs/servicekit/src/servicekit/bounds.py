"""Limits every service applies at its gRPC edge, so oversized input is a field error (422 at the
gateway), never a database error or an error message too large to travel back."""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from servicekit.errors import FieldViolation

# Our ids are UUIDs; clients' ids and references (SKUs, external order numbers) stay below this.
MAX_ID_LENGTH = 100
# Quantities of one line or one stock movement.
MAX_QUANTITY = 1_000_000


def oversized_ids(message: Message, path: str = "") -> list[FieldViolation]:
    """Every `id` or `*_id` string field, at any depth, longer than MAX_ID_LENGTH."""
    found: list[FieldViolation] = []
    for field, value in message.ListFields():
        name = f"{path}.{field.name}" if path else field.name
        repeated = field.is_repeated
        if field.type == FieldDescriptor.TYPE_STRING and (
            field.name == "id" or field.name.endswith("_id")
        ):
            for i, text in enumerate(value if repeated else [value]):
                if len(text) > MAX_ID_LENGTH:
                    at = f"{name}[{i}]" if repeated else name
                    found.append(FieldViolation(at, f"at most {MAX_ID_LENGTH} characters"))
        elif field.message_type is not None and not field.message_type.GetOptions().map_entry:
            for i, item in enumerate(value if repeated else [value]):
                found += oversized_ids(item, f"{name}[{i}]" if repeated else name)
    return found
