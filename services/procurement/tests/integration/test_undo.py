"""A purchase order undone on the real broker and database: a line reduced and the order
cancelled after part of it arrived, each announced as PurchaseOrderReduced; and the order closed
only once every unit received is billed and every bill is paid."""

import uuid

import grpc
import pytest

from oms.events.v1 import billing_pb2, inventory_pb2
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from oms.types.v1.types_pb2 import Money
from services.procurement.tests.integration.conftest import Procurement
from services.procurement.tests.integration.test_procure_to_pay import eventually
from testkit.services import EventLog, as_user, publish

BUYER = as_user("pat", "purchasing")


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


async def a_sent_order(stub: procurement_pb2_grpc.ProcurementServiceStub) -> pb.PurchaseOrder:
    """p-1: 10 at 7.32, p-2: 4 at 13.00."""
    supplier = (
        await stub.CreateSupplier(
            pb.CreateSupplierRequest(name=f"Acme {uuid.uuid4().hex[:6]}", currency="EUR"),
            metadata=BUYER,
        )
    ).supplier
    lines = [
        pb.PurchaseOrderLineInput(product_id="p-1", quantity=10, unit_price=eur("7.32")),
        pb.PurchaseOrderLineInput(product_id="p-2", quantity=4, unit_price=eur("13.00")),
    ]
    content = pb.PurchaseOrderContent(
        supplier_id=supplier.id,
        warehouse_id="w-1",
        groups=[pb.PurchaseOrderGroupInput(lines=lines)],
    )
    create = pb.CreatePurchaseOrderRequest(content=content)
    draft = (await stub.CreatePurchaseOrder(create, metadata=BUYER)).purchase_order
    return (
        await stub.SendPurchaseOrder(
            pb.SendPurchaseOrderRequest(purchase_order_id=draft.id), metadata=BUYER
        )
    ).purchase_order


def receipt(receipt_id: str, order_id: str, *lines: tuple[str, int]) -> inventory_pb2.GoodsReceived:
    return inventory_pb2.GoodsReceived(
        receipt_id=receipt_id,
        purchase_order_id=order_id,
        warehouse_id="w-1",
        lines=[inventory_pb2.ReceivedLine(product_id=p, quantity=q) for p, q in lines],
    )


def bill(bill_id: str, order_id: str, *lines: tuple[str, int]) -> billing_pb2.BillRecorded:
    return billing_pb2.BillRecorded(
        bill_id=bill_id,
        purchase_order_id=order_id,
        status="matched",
        lines=[billing_pb2.BilledUnits(product_id=p, quantity=q) for p, q in lines],
    )


async def test_reduced_then_cancelled_after_part_arrived_and_closed_once_all_bills_are_paid(
    procurement: Procurement, kafka_bootstrap: str
) -> None:
    stub, ns = procurement.stub, procurement.namespace
    order = await a_sent_order(stub)
    get = pb.GetPurchaseOrderRequest(purchase_order_id=order.id)
    async with EventLog(kafka_bootstrap, [events.PurchaseOrderReduced], ns) as log:
        reduce = pb.ReducePurchaseOrderLineRequest(
            purchase_order_id=order.id, product_id="p-1", quantity=6, reason="fewer needed"
        )
        reduced = (await stub.ReducePurchaseOrderLine(reduce, metadata=BUYER)).purchase_order
        assert [(x.product_id, x.quantity, x.cancelled) for x in reduced.lines] == [
            ("p-1", 10, 4),
            ("p-2", 4, 0),
        ]
        await publish(kafka_bootstrap, receipt("r-1", order.id, ("p-1", 6), ("p-2", 1)), "r-1", ns)
        await eventually(
            lambda: stub.GetPurchaseOrder(get, metadata=BUYER),
            lambda found: found.purchase_order.status == "partially_received",
        )
        cancel = pb.CancelPurchaseOrderRequest(purchase_order_id=order.id, reason="late")
        cancelled = (await stub.CancelPurchaseOrder(cancel, metadata=BUYER)).purchase_order
        found = await log.wait_for(order.id, count=4)  # with the two moves
    first, second = [m for _, m in found if isinstance(m, events.PurchaseOrderReduced)]
    assert cancelled.status == "received"
    assert [(x.product_id, x.received, x.cancelled) for x in cancelled.lines] == [
        ("p-1", 6, 4),
        ("p-2", 1, 3),
    ]
    assert [(x.product_id, x.quantity, x.cancelled) for x in first.lines] == [("p-1", 6, 4)]
    assert (second.reason, second.order_cancelled, second.warehouse_id) == ("late", False, "w-1")
    assert [(x.product_id, x.quantity, x.cancelled) for x in second.lines] == [
        ("p-1", 6, 4),
        ("p-2", 1, 3),
    ]
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await stub.ReducePurchaseOrderLine(reduce, metadata=BUYER)
    assert again.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    # two bills: 6 x 7.32 = 43.92 and 1 x 13.00; paying the first leaves the order billed
    await publish(kafka_bootstrap, bill("b-1", order.id, ("p-1", 6)), order.id, ns)
    await publish(kafka_bootstrap, bill("b-2", order.id, ("p-2", 1)), order.id, ns)
    paid = billing_pb2.BillPaid(bill_id="b-1", purchase_order_id=order.id)
    await publish(kafka_bootstrap, paid, order.id, ns)
    billed = await eventually(
        lambda: stub.GetPurchaseOrder(get, metadata=BUYER),
        lambda found: (
            [x.billed for x in found.purchase_order.lines] == [6, 1]
            and found.purchase_order.bill_status == "paid"
        ),
    )
    assert billed.purchase_order.status == "billed"
    last = billing_pb2.BillPaid(bill_id="b-2", purchase_order_id=order.id)
    await publish(kafka_bootstrap, last, order.id, ns)
    await eventually(
        lambda: stub.GetPurchaseOrder(get, metadata=BUYER),
        lambda found: found.purchase_order.status == "closed",
    )
