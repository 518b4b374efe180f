"""The warehouse sees quantities and shipments, not prices or costs: no reply of inventory's API
carries a money field, at any depth, so there is nothing to withhold from any caller. (Money is
a Money message or a decimal string; whole numbers count units, like GetAvailability's total.)"""

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from oms.inventory.v1 import inventory_pb2 as pb

FIGURES = ("price", "cost", "amount", "total", "value")
UNITS = (FieldDescriptor.CPPTYPE_INT32, FieldDescriptor.CPPTYPE_INT64)


def money_fields(message: Descriptor, path: str = "") -> list[str]:
    found = []
    for field in message.fields:
        name = f"{path}{field.name}"
        if any(word in field.name for word in FIGURES) and field.cpp_type not in UNITS:
            found.append(name)
        if field.message_type is not None and field.message_type.full_name.startswith("oms."):
            if field.message_type.name == "Money":
                found.append(name)
            found += money_fields(field.message_type, f"{name}.")
    return found


def test_no_inventory_reply_carries_a_price_or_a_cost() -> None:
    service = pb.DESCRIPTOR.services_by_name["InventoryService"]
    assert {m.name: money_fields(m.output_type) for m in service.methods} == {
        m.name: [] for m in service.methods
    }
