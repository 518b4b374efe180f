"""The contracts as documentation: every service, RPC, message, field, enum and enum value of
proto/ with the comment written above it (or after it on its line), from a descriptor set
compiled with source info; and the elements that have none."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from google.protobuf import descriptor_pb2 as d

# Paths into FileDescriptorProto / DescriptorProto / ... as SourceCodeInfo numbers them.
_FILE_PACKAGE = 2
_FILE_MESSAGES, _FILE_ENUMS, _FILE_SERVICES = 4, 5, 6
_MESSAGE_FIELDS, _MESSAGE_NESTED, _MESSAGE_ENUMS = 2, 3, 4
_ENUM_VALUES = 2
_SERVICE_METHODS = 2


@dataclass(frozen=True)
class Element:
    """One documented element: what it is, its full name, where it is declared, its comment."""

    kind: str  # "service", "rpc", "message", "field", "enum" or "enum value"
    name: str
    file: str
    line: int
    comment: str


@dataclass
class ProtoDocs:
    """Comments by full name, and the declarations themselves, of the files under proto/."""

    files: list[d.FileDescriptorProto]
    elements: dict[str, Element] = field(default_factory=dict)
    messages: dict[str, d.DescriptorProto] = field(default_factory=dict)
    enums: dict[str, d.EnumDescriptorProto] = field(default_factory=dict)
    file_of: dict[str, str] = field(default_factory=dict)  # message or enum -> its file
    # the comment above each file's `package` line: what the file is about
    about: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, files: d.FileDescriptorSet) -> ProtoDocs:
        docs = cls([f for f in files.file if not f.name.startswith("google/")])
        for file in docs.files:
            package = [loc for loc in file.source_code_info.location if loc.path == [_FILE_PACKAGE]]
            docs.about[file.name] = _comment(package[0] if package else None)
            docs.elements |= {element.name: element for element in _walk(file)}
            for name, message in _messages(file.package, list(file.message_type)):
                docs.messages[name] = message
                docs.enums |= {f"{name}.{e.name}": e for e in message.enum_type}
            docs.enums |= {f"{file.package}.{e.name}": e for e in file.enum_type}
            declared = [*docs.messages, *docs.enums]
            docs.file_of |= {name: file.name for name in declared if name not in docs.file_of}
        return docs

    @property
    def files_by_name(self) -> dict[str, d.FileDescriptorProto]:
        return {f.name: f for f in self.files}

    def comment(self, name: str) -> str:
        found = self.elements.get(name)
        return found.comment if found else ""

    def uncommented(self) -> list[Element]:
        """What a reader of the reference would find unexplained (map entries aside: the map
        field's own comment says what they hold)."""
        return [e for e in self.elements.values() if not e.comment]


def _messages(
    prefix: str, messages: list[d.DescriptorProto]
) -> Iterator[tuple[str, d.DescriptorProto]]:
    for message in messages:
        name = f"{prefix}.{message.name}"
        yield name, message
        yield from _messages(name, list(message.nested_type))


def _comment(location: d.SourceCodeInfo.Location | None) -> str:
    if location is None:
        return ""
    text = location.leading_comments or location.trailing_comments
    lines = [line[1:] if line.startswith(" ") else line for line in text.strip("\n").split("\n")]
    return "\n".join(lines).strip()


def _walk(file: d.FileDescriptorProto) -> Iterator[Element]:
    locations = {tuple(loc.path): loc for loc in file.source_code_info.location}

    def element(kind: str, name: str, path: tuple[int, ...]) -> Element:
        location = locations.get(path)
        line = location.span[0] + 1 if location is not None else 0
        return Element(kind, name, file.name, line, _comment(location))

    def enum(name: str, value: d.EnumDescriptorProto, path: tuple[int, ...]) -> Iterator[Element]:
        yield element("enum", name, path)
        for i, item in enumerate(value.value):
            yield element("enum value", f"{name}.{item.name}", (*path, _ENUM_VALUES, i))

    def message(name: str, value: d.DescriptorProto, path: tuple[int, ...]) -> Iterator[Element]:
        if value.options.map_entry:
            return
        yield element("message", name, path)
        for i, item in enumerate(value.field):
            yield element("field", f"{name}.{item.name}", (*path, _MESSAGE_FIELDS, i))
        for i, nested in enumerate(value.nested_type):
            yield from message(f"{name}.{nested.name}", nested, (*path, _MESSAGE_NESTED, i))
        for i, nested_enum in enumerate(value.enum_type):
            yield from enum(f"{name}.{nested_enum.name}", nested_enum, (*path, _MESSAGE_ENUMS, i))

    for i, value in enumerate(file.message_type):
        yield from message(f"{file.package}.{value.name}", value, (_FILE_MESSAGES, i))
    for i, value_enum in enumerate(file.enum_type):
        yield from enum(f"{file.package}.{value_enum.name}", value_enum, (_FILE_ENUMS, i))
    for i, service in enumerate(file.service):
        service_name = f"{file.package}.{service.name}"
        yield element("service", service_name, (_FILE_SERVICES, i))
        for j, method in enumerate(service.method):
            path = (_FILE_SERVICES, i, _SERVICE_METHODS, j)
            yield element("rpc", f"{service_name}.{method.name}", path)
