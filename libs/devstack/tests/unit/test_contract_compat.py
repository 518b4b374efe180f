"""The contract guard: growing a contract passes, breaking it fails with the reason."""

import os
import subprocess
from pathlib import Path

from google.protobuf import descriptor_pb2 as d

from devstack.compat import EVENT_TYPE_OPTION, TOPIC_OPTION, breaking_changes, event_identity
from devstack.contracts import LOCK_FILE, baseline, current_descriptor_set
from messaging.events import topic_of

F = d.FieldDescriptorProto


def _set(*fields: tuple[str, int, int], reserved: tuple[int, ...] = ()) -> d.FileDescriptorSet:
    message = d.DescriptorProto(name="Order")
    for name, number, kind in fields:
        message.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
    for number in reserved:
        message.reserved_range.add(start=number, end=number + 1)
    return d.FileDescriptorSet(
        file=[d.FileDescriptorProto(name="o.proto", package="t.v1", message_type=[message])]
    )


BASE = _set(("id", 1, F.TYPE_STRING), ("quantity", 2, F.TYPE_INT64))


def test_adding_a_field_is_compatible() -> None:
    grown = _set(
        ("id", 1, F.TYPE_STRING), ("quantity", 2, F.TYPE_INT64), ("note", 3, F.TYPE_STRING)
    )
    assert breaking_changes(BASE, grown) == []


def test_removing_renumbering_or_retyping_a_field_breaks() -> None:
    assert breaking_changes(BASE, _set(("id", 1, F.TYPE_STRING))) == [
        "t.v1.Order.quantity (#2) removed without reserving its number"
    ]
    assert breaking_changes(
        BASE, _set(("id", 1, F.TYPE_STRING), ("quantity", 3, F.TYPE_INT64))
    ) == ["t.v1.Order.quantity renumbered 2 -> 3"]
    assert breaking_changes(
        BASE, _set(("id", 1, F.TYPE_STRING), ("quantity", 2, F.TYPE_STRING))
    ) == ["t.v1.Order.quantity changed type TYPE_INT64 -> TYPE_STRING"]


def test_removing_a_field_whose_number_is_reserved_is_compatible() -> None:
    assert breaking_changes(BASE, _set(("id", 1, F.TYPE_STRING), reserved=(2,))) == []


def test_the_protos_in_the_tree_are_compatible_with_the_committed_baseline() -> None:
    accepted = d.FileDescriptorSet.FromString(LOCK_FILE.read_bytes())
    assert breaking_changes(accepted, current_descriptor_set()) == []


def _event(event_type: str, topic: str, field_name: str = "order_id") -> d.FileDescriptorSet:
    """An event message as proto/oms/events/v1 declares one, its identity in its options."""
    message = d.DescriptorProto(name="OrderPlaced")
    message.field.add(name=field_name, number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    options = message.options
    # the options' wire form: field 50001 (event_type) and 50002 (topic), both strings
    options.MergeFromString(_string_field(EVENT_TYPE_OPTION, event_type))
    options.MergeFromString(_string_field(TOPIC_OPTION, topic))
    return d.FileDescriptorSet(
        file=[d.FileDescriptorProto(name="e.proto", package="t.events.v1", message_type=[message])]
    )


def _string_field(number: int, value: str) -> bytes:
    def varint(n: int) -> bytes:
        out = b""
        while n > 0x7F:
            out += bytes([(n & 0x7F) | 0x80])
            n >>= 7
        return out + bytes([n])

    data = value.encode()
    return varint(number << 3 | 2) + varint(len(data)) + data


EVENT = _event("t.orders.OrderPlaced.v1", "t.orders.order.v1")


def test_an_event_keeps_its_type_and_topic() -> None:
    assert event_identity(EVENT.file[0].message_type[0]) == (
        "t.orders.OrderPlaced.v1",
        "t.orders.order.v1",
    )
    assert breaking_changes(EVENT, EVENT) == []
    assert breaking_changes(EVENT, _event("t.orders.OrderPlaced.v2", "t.orders.order.v1")) == [
        "event t.events.v1.OrderPlaced changed its event_type "
        "'t.orders.OrderPlaced.v1' -> 't.orders.OrderPlaced.v2'"
    ]
    assert breaking_changes(EVENT, _event("t.orders.OrderPlaced.v1", "t.orders.orders.v1")) == [
        "event t.events.v1.OrderPlaced changed its topic "
        "'t.orders.order.v1' -> 't.orders.orders.v1'"
    ]


def test_an_event_may_not_drop_its_identity_but_a_message_may_become_an_event() -> None:
    plain = _event("", "")
    assert breaking_changes(plain, EVENT) == []
    assert len(breaking_changes(EVENT, plain)) == 2


def test_renaming_a_field_breaks_documents_stored_as_json() -> None:
    assert breaking_changes(BASE, _set(("id", 1, F.TYPE_STRING), ("units", 2, F.TYPE_INT64))) == [
        "t.v1.Order.quantity (#2) renamed to units"
    ]
    renamed = _event("t.orders.OrderPlaced.v1", "t.orders.order.v1", field_name="sales_order_id")
    assert breaking_changes(EVENT, renamed) == [
        "t.events.v1.OrderPlaced.order_id (#1) renamed to sales_order_id"
    ]


def test_renaming_an_enum_value_breaks_json_readers() -> None:
    def with_enum(*values: tuple[str, int]) -> d.FileDescriptorSet:
        enum = d.EnumDescriptorProto(name="Kind")
        for name, number in values:
            enum.value.add(name=name, number=number)
        return d.FileDescriptorSet(
            file=[d.FileDescriptorProto(name="k.proto", package="t.v1", enum_type=[enum])]
        )

    old = with_enum(("KIND_UNSPECIFIED", 0), ("KIND_STOCKED", 1))
    assert (
        breaking_changes(
            old, with_enum(("KIND_UNSPECIFIED", 0), ("KIND_STOCKED", 1), ("KIND_KIT", 2))
        )
        == []
    )
    assert breaking_changes(old, with_enum(("KIND_UNSPECIFIED", 0), ("KIND_STORED", 1))) == [
        "enum value t.v1.Kind.KIND_STOCKED (#1) renamed to KIND_STORED"
    ]


def test_every_event_in_the_tree_declares_the_identity_the_generated_code_reads() -> None:
    from messaging.events import registry

    declared = {
        event_identity(m)
        for f in current_descriptor_set().file
        for m in f.message_type
        if event_identity(m)[0]
    }
    assert declared == {(t, topic_of(m)) for t, m in registry().items()}


# The baseline: main's lock file, which a change on a branch cannot re-lock.


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)},
    )


def _lock(folder: Path, files: d.FileDescriptorSet) -> Path:
    lock = folder / "proto" / "descriptor-set.lock.binpb"
    lock.parent.mkdir(exist_ok=True)
    lock.write_bytes(files.SerializeToString())
    return lock


def test_a_branch_is_checked_against_the_lock_as_main_has_it(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    lock = _lock(tmp_path, BASE)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "baseline")
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    relocked = _set(("id", 1, F.TYPE_STRING))  # the same change removed a field and re-locked
    _lock(tmp_path, relocked)
    _git(tmp_path, "commit", "-q", "-am", "re-lock")

    found = baseline(tmp_path, lock)

    assert found.descriptor_set == BASE
    assert "merge-base with main" in found.origin
    assert breaking_changes(found.descriptor_set, relocked) == [
        "t.v1.Order.quantity (#2) removed without reserving its number"
    ]


def test_uncommitted_work_on_main_is_checked_against_the_last_commit(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    lock = _lock(tmp_path, BASE)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "baseline")
    _lock(tmp_path, _set(("id", 1, F.TYPE_STRING)))

    assert baseline(tmp_path, lock).descriptor_set == BASE


def test_outside_a_git_checkout_the_working_lock_file_is_the_baseline(tmp_path: Path) -> None:
    lock = _lock(tmp_path, BASE)

    found = baseline(tmp_path, lock)

    assert found.descriptor_set == BASE
    assert "working tree" in found.origin
