"""Wire-compatibility rules for protobuf contracts: a contract may grow, never break.

Breaking: removing or renaming a message, enum, service or method; removing a field (unless its
number is reserved); renumbering a field; renaming a field (documents are stored as JSON, which
names fields, so a renamed field loses its old values there); changing a field's type, label or
message type; changing a method's request or response type; removing or renaming an enum value;
changing an event's wire identity, its `(oms.events.v1.event_type)` or `(oms.events.v1.topic)`
option (consumers find events by that type on that topic).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from google.protobuf import descriptor_pb2 as d
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

# The numbers proto/oms/events/v1/options.proto gives the two options: fixed once published.
EVENT_TYPE_OPTION = 50001
TOPIC_OPTION = 50002


@cache
def _event_options_type() -> type[Message]:
    """A message with just the two event options, to read them from any MessageOptions bytes
    without the generated contracts (the baseline may predate them)."""
    pool = descriptor_pool.DescriptorPool()
    file = d.FileDescriptorProto(name="devstack_event_options.proto", package="devstack")
    shape = file.message_type.add(name="EventOptions")
    for name, number in (("event_type", EVENT_TYPE_OPTION), ("topic", TOPIC_OPTION)):
        shape.field.add(
            name=name,
            number=number,
            type=d.FieldDescriptorProto.TYPE_STRING,
            label=d.FieldDescriptorProto.LABEL_OPTIONAL,
        )
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("devstack.EventOptions"))


def event_identity(message: d.DescriptorProto) -> tuple[str, str]:
    """(event_type, topic) as the message's options declare them; ("", "") for a non-event."""
    options = _event_options_type().FromString(message.options.SerializeToString())
    declared = {field.name: str(value) for field, value in options.ListFields()}
    return declared.get("event_type", ""), declared.get("topic", "")


def _messages(
    prefix: str, messages: list[d.DescriptorProto]
) -> Iterator[tuple[str, d.DescriptorProto]]:
    for message in messages:
        name = f"{prefix}.{message.name}"
        yield name, message
        yield from _messages(name, list(message.nested_type))


def _index(
    files: d.FileDescriptorSet,
) -> tuple[
    dict[str, d.DescriptorProto],
    dict[str, d.EnumDescriptorProto],
    dict[str, d.ServiceDescriptorProto],
]:
    messages: dict[str, d.DescriptorProto] = {}
    enums: dict[str, d.EnumDescriptorProto] = {}
    services: dict[str, d.ServiceDescriptorProto] = {}
    for file in files.file:
        if file.package.startswith("google."):
            continue
        for name, message in _messages(file.package, list(file.message_type)):
            messages[name] = message
            for enum in message.enum_type:
                enums[f"{name}.{enum.name}"] = enum
        for enum in file.enum_type:
            enums[f"{file.package}.{enum.name}"] = enum
        for service in file.service:
            services[f"{file.package}.{service.name}"] = service
    return messages, enums, services


def _reserved(message: d.DescriptorProto, number: int) -> bool:
    return any(r.start <= number < r.end for r in message.reserved_range)


def _field_changes(name: str, old: d.DescriptorProto, new: d.DescriptorProto) -> Iterator[str]:
    new_by_number = {f.number: f for f in new.field}
    new_by_name = {f.name: f for f in new.field}
    for field in old.field:
        moved = new_by_name.get(field.name)
        if moved is not None and moved.number != field.number:
            yield f"{name}.{field.name} renumbered {field.number} -> {moved.number}"
            continue
        current = new_by_number.get(field.number)
        if current is None:
            if not _reserved(new, field.number):
                yield f"{name}.{field.name} (#{field.number}) removed without reserving its number"
            continue
        if current.name != field.name:
            yield f"{name}.{field.name} (#{field.number}) renamed to {current.name}"
        if current.type != field.type or current.type_name != field.type_name:
            old_type = field.type_name or d.FieldDescriptorProto.Type.Name(field.type)
            new_type = current.type_name or d.FieldDescriptorProto.Type.Name(current.type)
            yield f"{name}.{field.name} changed type {old_type} -> {new_type}"
        if current.label != field.label:
            yield f"{name}.{field.name} changed label (repeated/optional)"


def _identity_changes(name: str, old: d.DescriptorProto, new: d.DescriptorProto) -> Iterator[str]:
    old_type, old_topic = event_identity(old)
    new_type, new_topic = event_identity(new)
    if old_type and new_type != old_type:
        yield f"event {name} changed its event_type {old_type!r} -> {new_type!r}"
    if old_topic and new_topic != old_topic:
        yield f"event {name} changed its topic {old_topic!r} -> {new_topic!r}"


def _enum_changes(
    name: str, old: d.EnumDescriptorProto, new: d.EnumDescriptorProto
) -> Iterator[str]:
    new_values = {v.number: v.name for v in new.value}
    for value in old.value:
        current = new_values.get(value.number)
        if current is None:
            yield f"enum value {name}.{value.name} removed"
        elif current != value.name:
            yield f"enum value {name}.{value.name} (#{value.number}) renamed to {current}"


def breaking_changes(old: d.FileDescriptorSet, new: d.FileDescriptorSet) -> list[str]:
    """Every change from `old` to `new` that an existing reader or caller would trip over."""
    old_messages, old_enums, old_services = _index(old)
    new_messages, new_enums, new_services = _index(new)
    problems: list[str] = []
    for name, message in old_messages.items():
        if name not in new_messages:
            problems.append(f"message {name} removed")
        else:
            problems.extend(_field_changes(name, message, new_messages[name]))
            problems.extend(_identity_changes(name, message, new_messages[name]))
    for name, enum in old_enums.items():
        if name not in new_enums:
            problems.append(f"enum {name} removed")
        else:
            problems.extend(_enum_changes(name, enum, new_enums[name]))
    for name, service in old_services.items():
        if name not in new_services:
            problems.append(f"service {name} removed")
            continue
        new_methods = {m.name: m for m in new_services[name].method}
        for method in service.method:
            current = new_methods.get(method.name)
            if current is None:
                problems.append(f"rpc {name}.{method.name} removed")
            elif (current.input_type, current.output_type) != (
                method.input_type,
                method.output_type,
            ):
                problems.append(f"rpc {name}.{method.name} changed its request or response type")
    return problems
