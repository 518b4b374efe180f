"""The contracts reference: docs/reference/, generated from proto/ and its comments.

    python -m devstack.reference write   # (make reference) rewrite docs/reference/
    python -m devstack.reference check   # (make lint) fail when a page is stale or an element of
                                         # proto/ has no comment, listing each

One page per gRPC package (every RPC with its request and response fields, their comments and
who may call it, read from the services' access tables), one for every event (its ce_type,
topic, publisher and the services that read its topic, from devstack.topology.CONSUMES) and one
for the shared types.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from google.protobuf import descriptor_pb2 as d

from devstack.access_tables import suite_access_tables
from devstack.compat import event_identity
from devstack.contracts import ROOT, current_descriptor_set
from devstack.protodoc import ProtoDocs
from devstack.topology import BUSINESS_SERVICES, CONNECTORS, CONSUMES, Ports
from servicekit.access import EVERY_ROLE, Rule

REFERENCE_DIR = ROOT / "docs" / "reference"
SERVICES_DIR = ROOT / "services"
GENERATED = (
    "<!-- Generated from proto/ by `python -m devstack.reference write` (make reference); "
    "do not edit. -->"
)
EVENTS, TYPES = "oms.events.v1", "oms.types.v1"
_F = d.FieldDescriptorProto


def page_of(package: str) -> str:
    """`oms.orders.v1` -> `orders.md`."""
    return f"{package.split('.')[1]}.md"


def anchor(kind: str, name: str) -> str:
    """The anchor GitHub gives the heading `<kind> <name>` ("message Quote.Group")."""
    return f"{kind}-" + "".join(c for c in name.lower() if c.isalnum() or c in "-_")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "—"


def _owner(topic: str) -> str:
    return topic.split(".")[1]


def _readers(topic: str) -> list[str]:
    return [s for s in (*BUSINESS_SERVICES, *CONNECTORS) if topic in CONSUMES[s]]


class Reference:
    def __init__(
        self, docs: ProtoDocs, rights: Mapping[str, Mapping[str, Rule]], unreadable: list[str]
    ) -> None:
        self.docs = docs
        self.rights = rights
        self.unreadable = unreadable

    # -- shared pieces --------------------------------------------------------------------------

    def relative(self, full_name: str) -> tuple[str, str]:
        """(package, name within it) of a message or enum."""
        file = self.docs.files_by_name[self.docs.file_of[full_name]]
        return file.package, full_name.removeprefix(file.package + ".")

    def link(self, type_name: str, here: str) -> str:
        full = type_name.lstrip(".")
        if full not in self.docs.file_of:
            return f"`{full}`"
        package, name = self.relative(full)
        if full in self.docs.enums:
            kind = "enum"
        else:
            kind = "event" if event_identity(self.docs.messages[full])[0] else "message"
        target = ("" if package == here else page_of(package)) + "#" + anchor(kind, name)
        return f"[{name}]({target})"

    def field_type(self, field: d.FieldDescriptorProto, here: str) -> str:
        if field.type in (_F.TYPE_MESSAGE, _F.TYPE_ENUM):
            entry = self.docs.messages.get(field.type_name.lstrip("."))
            if entry is not None and entry.options.map_entry:
                key, value = entry.field
                return f"map<{self.field_type(key, here)}, {self.field_type(value, here)}>"
            shown = self.link(field.type_name, here)
        else:
            shown = _F.Type.Name(field.type).removeprefix("TYPE_").lower()
        if field.label == _F.LABEL_REPEATED:
            return f"repeated {shown}"
        return f"optional {shown}" if field.proto3_optional else shown

    def fields(self, full_name: str, here: str) -> Iterator[str]:
        message = self.docs.messages[full_name]
        if not message.field:
            yield "No fields."
            return
        yield "| field | # | type | meaning |"
        yield "|---|---|---|---|"
        for field in message.field:
            meaning = _cell(self.docs.comment(f"{full_name}.{field.name}"))
            shown = self.field_type(field, here)
            yield f"| `{field.name}` | {field.number} | {shown} | {meaning} |"

    def message_block(self, kind: str, full_name: str, here: str, level: str) -> Iterator[str]:
        _, name = self.relative(full_name)
        yield f"{level} {kind} {name}"
        yield ""
        comment = self.docs.comment(full_name)
        if comment:
            yield comment
            yield ""
        if kind == "event":
            event_type, topic = event_identity(self.docs.messages[full_name])
            readers = ", ".join(_readers(topic)) or "no suite service"
            yield "| ce_type | topic | published by | read by (consumers of the topic) |"
            yield "|---|---|---|---|"
            yield f"| `{event_type}` | `{topic}` | {_owner(topic)} | {readers} |"
            yield ""
        yield from self.fields(full_name, here)
        yield ""

    def enum_block(self, full_name: str, here: str) -> Iterator[str]:
        _, name = self.relative(full_name)
        yield f"### enum {name}"
        yield ""
        yield self.docs.comment(full_name)
        yield ""
        yield "| value | # | meaning |"
        yield "|---|---|---|"
        for value in self.docs.enums[full_name].value:
            meaning = _cell(self.docs.comment(f"{full_name}.{value.name}"))
            yield f"| `{value.name}` | {value.number} | {meaning} |"
        yield ""

    def rule_text(self, service: str, method: str) -> str:
        rule = self.rights.get(service, {}).get(method)
        if rule is None:
            return f"see the README of the service that serves `{service}`"
        people = sorted(rule.roles - {"admin"})
        if set(EVERY_ROLE) - {"admin"} <= set(people):
            parts = ["every signed-in person"]
        elif people:
            parts = [f"people with {', '.join(people)} (and admin)"]
        else:
            parts = ["admin only"]
        if rule.services:
            parts.append(f"suite services {', '.join(sorted(rule.services))} on their own account")
        if rule.scope:
            parts.append(f"internal clients with `{rule.scope}`")
        return "; ".join(parts)

    # -- pages ----------------------------------------------------------------------------------

    def package_page(self, package: str) -> str:
        files = [f for f in self.docs.files if f.package == package]
        owner = package.split(".")[1]
        lines = [GENERATED, "", f"# {package}", ""]
        for about in (self.docs.about[f.name] for f in files if self.docs.about[f.name]):
            lines += [about, ""]
        if owner in BUSINESS_SERVICES:
            port = Ports().grpc(owner)
            lines.append(
                f"Served by **{owner}** (`services/{owner}`; gRPC port {port} under `make run`), "
                f"over mutual TLS. Source: {', '.join(f'`proto/{f.name}`' for f in files)}."
            )
        elif files[0].service:
            lines.append(
                "Served by every business service for the data it owns, over mutual TLS. "
                f"Source: {', '.join(f'`proto/{f.name}`' for f in files)}."
            )
        lines.append("")
        shown: set[str] = set()
        for file in files:
            for service in file.service:
                lines += self.service_section(package, service, shown)
        rest = [
            name
            for f in files
            for name in self.docs.messages
            if self.docs.file_of[name] == f.name
            and name not in shown
            and not self.docs.messages[name].options.map_entry
        ]
        if rest:
            lines += ["## Messages", ""]
            for name in rest:
                kind = "event" if event_identity(self.docs.messages[name])[0] else "message"
                lines += self.message_block(kind, name, package, "###")
        enums = [e for e in self.docs.enums if self.relative(e)[0] == package]
        if enums:
            lines += ["## Enums", ""]
            for name in enums:
                lines += self.enum_block(name, package)
        return "\n".join(lines).rstrip() + "\n"

    def service_section(
        self, package: str, service: d.ServiceDescriptorProto, shown: set[str]
    ) -> list[str]:
        full = f"{package}.{service.name}"
        lines = [f"## {service.name}", "", self.docs.comment(full), ""]
        lines += ["| RPC | request → response | who may call |", "|---|---|---|"]
        for method in service.method:
            request = self.link(method.input_type, package)
            response = self.link(method.output_type, package)
            rpc = f"[{method.name}](#{anchor('rpc', method.name)})"
            who = self.rule_text(full, method.name)
            lines.append(f"| {rpc} | {request} → {response} | {who} |")
        lines.append("")
        for method in service.method:
            lines += [f"### rpc {method.name}", "", self.docs.comment(f"{full}.{method.name}"), ""]
            lines += [f"Who may call: {self.rule_text(full, method.name)}.", ""]
            for role, type_name in (
                ("Request", method.input_type),
                ("Response", method.output_type),
            ):
                name = type_name.lstrip(".")
                if (
                    name in shown
                    or name not in self.docs.messages
                    or self.relative(name)[0] != package
                ):
                    lines += [f"{role}: {self.link(type_name, package)}.", ""]
                    continue
                shown.add(name)
                lines += self.message_block("message", name, package, "####")
        return lines

    def events_page(self) -> str:
        events = [
            name
            for name, message in self.docs.messages.items()
            if self.relative(name)[0] == EVENTS and event_identity(message)[0]
        ]
        topics: dict[str, list[str]] = {}
        for name in events:
            topics.setdefault(event_identity(self.docs.messages[name])[1], []).append(name)
        lines = [GENERATED, "", "# Events", ""]
        lines += [
            "Every event the suite publishes, by topic. Records carry the protobuf message as "
            "their value, the aggregate's id as their key, and CloudEvents headers: `ce_type` "
            "names the message below (decode by it, and skip types you do not know), `ce_id` "
            "is unique per event (deduplicate on it), `ce_source` is `/oms/<owner>`. Readers "
            "outside the suite register a client with the scope `events:<topic>` "
            "(see `examples/consume_orders.py`). A topic's consumers handle the types they need "
            "and skip the others.",
            "",
            "| topic | published by | events | read by |",
            "|---|---|---|---|",
        ]
        for topic, names in sorted(topics.items()):
            listed = ", ".join(self.link(n, EVENTS) for n in names)
            readers = ", ".join(_readers(topic)) or "—"
            lines.append(f"| `{topic}` | {_owner(topic)} | {listed} | {readers} |")
        lines.append("")
        for file in (f for f in self.docs.files if f.package == EVENTS):
            names = [n for n in self.docs.messages if self.docs.file_of[n] == file.name]
            if not names:
                continue
            producer = file.name.rsplit("/", 1)[-1].removesuffix(".proto")
            lines += [f"## {producer}", "", self.docs.about[file.name], ""]
            lines += [f"Source: `proto/{file.name}`.", ""]
            for name in names:
                kind = "event" if name in events else "message"
                lines += self.message_block(kind, name, EVENTS, "###")
        return "\n".join(lines).rstrip() + "\n"

    def index(self, packages: list[str]) -> str:
        lines = [GENERATED, "", "# Contracts reference", ""]
        lines += [
            "Every gRPC service and RPC, every event and the types they share, with the comments "
            "`proto/` gives them. `make lint` fails when a page is stale or an element of "
            "`proto/` has no comment; `make reference` rewrites the pages. Calling a service "
            "from another team's code: `libs/client` and `examples/`; the rules other teams "
            "can rely on: `docs/contracts.md`.",
            "",
            "| page | what |",
            "|---|---|",
        ]
        for package in packages:
            services = [s.name for f in self.docs.files if f.package == package for s in f.service]
            what = ", ".join(services) if services else "shared value types"
            lines.append(f"| [{package}]({page_of(package)}) | {what} |")
        lines.append("| [events](events.md) | every event, its topic, publisher and readers |")
        if self.unreadable:
            lines += ["", "Rights not read from (see each service's README):"]
            lines += [f"- `{where}`" for where in self.unreadable]
        return "\n".join(lines) + "\n"

    def pages(self) -> dict[str, str]:
        packages = sorted({f.package for f in self.docs.files} - {EVENTS})
        pages = {page_of(p): self.package_page(p) for p in packages}
        pages["events.md"] = self.events_page()
        pages["README.md"] = self.index(packages)
        return pages


def build(files: d.FileDescriptorSet | None = None) -> tuple[dict[str, str], ProtoDocs]:
    """The pages for `files` (proto/ compiled with its comments when not given)."""
    docs = ProtoDocs.of(files or current_descriptor_set(source_info=True))
    rights, unreadable = suite_access_tables(SERVICES_DIR)
    return Reference(docs, rights, unreadable).pages(), docs


def stale_pages(pages: Mapping[str, str], folder: Path) -> list[str]:
    """Each page that differs from what `folder` holds, is missing, or should not be there."""
    found = {p.name for p in folder.glob("*.md")} if folder.is_dir() else set()
    problems = [
        f"stale: {folder.name}/{name}"
        for name, text in sorted(pages.items())
        if name in found and (folder / name).read_text() != text
    ]
    problems += [f"missing: {folder.name}/{name}" for name in sorted(set(pages) - found)]
    problems += [f"not generated: {folder.name}/{name}" for name in sorted(found - set(pages))]
    return problems


def problems(pages: Mapping[str, str], docs: ProtoDocs, folder: Path) -> list[str]:
    """What makes the build fail: stale pages, and elements of proto/ without a comment."""
    uncommented = [
        f"uncommented {e.kind} {e.name} (proto/{e.file}:{e.line})" for e in docs.uncommented()
    ]
    return [*stale_pages(pages, folder), *uncommented]


def write(pages: Mapping[str, str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in {p.name for p in folder.glob("*.md")} - set(pages):
        (folder / stale).unlink()
    for name, text in pages.items():
        (folder / name).write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.reference")
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("--out", type=Path, default=REFERENCE_DIR)
    args = parser.parse_args()
    pages, docs = build()
    if args.command == "write":
        write(pages, args.out)
        print(f"wrote {len(pages)} pages to {args.out}")
        return
    found = problems(pages, docs, args.out)
    for problem in found:
        print(problem)
    if found:
        sys.exit(f"{len(found)} problem(s): comment proto/ and run `make reference`")
    print(f"{args.out.relative_to(ROOT)} is current; every element of proto/ has a comment")


if __name__ == "__main__":
    main()
