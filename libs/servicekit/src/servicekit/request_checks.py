"""Checks of a request message before any handler sees it, whatever the service."""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from servicekit.bounds import MAX_ID_LENGTH
from servicekit.errors import FieldViolation


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
