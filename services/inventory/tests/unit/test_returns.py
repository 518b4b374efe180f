"""Returns on fakes: orders authorises a return (kept once), the warehouse receives its goods
back on hand once, logged."""

from __future__ import annotations

import pytest

from inventory.application.commands.receive_return import ReceiveReturn, receive_return
from inventory.application.ports import ClientRequest
from inventory.application.reactions.on_return_authorized import (
    ReturnAuthorized,
    on_return_authorized,
)
from inventory.domain.events import ReturnReceived, ShippedLine
from inventory.domain.returns import Return
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.context import Principal, acting
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound
from servicekit.idempotency import fingerprint
from services.inventory.tests.unit.builders import NOW, FakeInventory


async def authorize(inventory: FakeInventory, return_id: str, product: str, units: int) -> None:
    lines = [ShippedLine("l-1", product, units), ShippedLine("l-2", product, 0)]
    async with inventory.uow() as uow:
        await on_return_authorized(
            uow, ReturnAuthorized(return_id, "o-1", "damaged box", lines, NOW)
        )


async def receive(
    inventory: FakeInventory, return_id: str, warehouse: str, request_id: str = ""
) -> Return:
    wire = pb.ReceiveReturnRequest(return_id=return_id, request_id=request_id)
    command = ReceiveReturn(return_id, warehouse, ClientRequest(request_id, fingerprint(wire)))
    with acting(Principal("wendy", ("warehouse",))):
        return await receive_return(inventory.uow(), command)


async def test_an_authorised_return_is_received_once() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 1)
    with pytest.raises(NotFound, match="was not authorised"):
        await receive(inventory, "r-1", warehouse)
    await authorize(inventory, "r-1", product, 2)
    await authorize(inventory, "r-1", product, 5)  # known already: kept as it was
    with pytest.raises(NotFound, match="warehouse nowhere not found"):
        await receive(inventory, "r-1", "nowhere")
    received = await receive(inventory, "r-1", warehouse)
    assert (received.status, received.received_by, received.warehouse_id) == (
        "received",
        "wendy",
        warehouse,
    )
    (announced,) = inventory.published(ReturnReceived, "o-1")
    assert [(x.line_id, x.product_id, x.quantity) for x in announced.lines] == [("l-1", product, 2)]
    assert (await inventory.level(product, warehouse)).on_hand == 3
    with pytest.raises(FailedPrecondition, match="received already"):
        await receive(inventory, "r-1", warehouse)
    assert (await inventory.level(product, warehouse)).on_hand == 3
    entry = inventory.db.audit[-1]
    assert (entry.entity_type, entry.action, entry.actor, entry.before) == (
        "return",
        "received",
        "wendy",
        {"status": "authorized"},
    )
    assert entry.after == {
        "status": "received",
        "order_id": "o-1",
        "warehouse_id": warehouse,
        "lines": [{"product_id": product, "quantity": 2}],
    }


async def test_a_return_received_again_with_its_request_id_is_put_back_once() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await authorize(inventory, "r-2", product, 2)
    received = [await receive(inventory, "r-2", warehouse, "back-1") for _ in "abc"]
    assert {(r.status, r.warehouse_id) for r in received} == {("received", warehouse)}
    assert (await inventory.level(product, warehouse)).on_hand == 2
    with pytest.raises(FailedPrecondition):
        await receive(inventory, "r-2", warehouse)
    with pytest.raises(InvalidArgument):
        await receive(inventory, "", "")
