"""The contract guard: growing a contract passes, breaking it fails with the reason."""

from google.protobuf import descriptor_pb2 as d

from devstack.compat import breaking_changes
from devstack.contracts import LOCK_FILE, current_descriptor_set

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
    baseline = d.FileDescriptorSet.FromString(LOCK_FILE.read_bytes())
    assert breaking_changes(baseline, current_descriptor_set()) == []
