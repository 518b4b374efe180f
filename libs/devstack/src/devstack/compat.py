"""Wire-compatibility rules for protobuf contracts: a contract may grow, never break.

Breaking: removing or renaming a message, enum, service or method; removing a field (unless its
number is reserved); renumbering a field; changing a field's type, label or message type;
changing a method's request or response type; removing an enum value.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as d


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
        if current.type != field.type or current.type_name != field.type_name:
            old_type = field.type_name or d.FieldDescriptorProto.Type.Name(field.type)
            new_type = current.type_name or d.FieldDescriptorProto.Type.Name(current.type)
            yield f"{name}.{field.name} changed type {old_type} -> {new_type}"
        if current.label != field.label:
            yield f"{name}.{field.name} changed label (repeated/optional)"


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
    for name, enum in old_enums.items():
        if name not in new_enums:
            problems.append(f"enum {name} removed")
            continue
        new_values = {v.number for v in new_enums[name].value}
        problems.extend(
            f"enum value {name}.{v.name} removed" for v in enum.value if v.number not in new_values
        )
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
