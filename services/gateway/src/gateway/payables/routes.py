"""/bills, /payments-sent (+ apply an advance to a bill) and /reports/ap-aging: what the suite
owes its suppliers. Bills carry supplier prices, so only finance and purchasing read them;
finance records, releases and pays (a large bill is released by a second finance user, which
billing enforces)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.payables.schemas import (
    AdvanceIn,
    ApAging,
    Bill,
    BillIn,
    BillList,
    ReleaseIn,
    SupplierPayment,
    SupplierPaymentIn,
    SupplierPaymentList,
)
from oms.billing.v1 import billing_pb2

router = APIRouter(tags=["billing"])
routers = (router,)
FINANCE = require("finance")
PAYABLES_READERS = require("finance", "purchasing")


@router.post(
    "/bills",
    operation_id="recordBill",
    summary="Record a supplier's bill",
    status_code=201,
    response_model=Bill,
    dependencies=[FINANCE],
    responses=located("getBill", "bill_id", "The bill recorded.") | problems(409),
)
async def record_bill(body: BillIn, request: Request, response: Response) -> Bill:
    """A supplier's bill, matched three ways against its purchase order and the goods received:
    "matched" or "held" with the reason per line (also held, for a second finance user to
    release, when it is above the dual-control amount). 422 on `currency` for another currency
    than the order's, on `lines[i].quantity` for more than was received, on
    `supplier_reference` when the supplier's bill of that reference is recorded already (409
    when two requests record it at the same moment). Finance only."""
    reply = await request.app.state.clients.billing.RecordBill(
        billing_pb2.RecordBillRequest(
            purchase_order_id=body.purchase_order_id,
            supplier_id=body.supplier_id,
            supplier_reference=body.supplier_reference,
            currency=body.currency,
            lines=[
                billing_pb2.BillLineRequest(
                    product_id=x.product_id, quantity=x.quantity, unit_price=x.unit_price
                )
                for x in body.lines
            ],
            request_id=request_id(request),
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.bill.id}"
    return Bill.model_validate(reply.bill)


@router.get(
    "/bills",
    operation_id="listBills",
    summary="List supplier bills",
    response_model=BillList,
    dependencies=[PAYABLES_READERS],
)
async def list_bills(
    request: Request,
    purchase_order_id: IdQuery = "",
    supplier_id: IdQuery = "",
    status: Annotated[
        str, Query(max_length=20, description="held, open, partially_paid or paid")
    ] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> BillList:
    """Supplier bills, newest first; `purchase_order_id`, `supplier_id` and `status` narrow the
    list. Finance and purchasing may read them."""
    reply = await request.app.state.clients.billing.ListBills(
        billing_pb2.ListBillsRequest(
            purchase_order_id=purchase_order_id,
            supplier_id=supplier_id,
            status=status,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return BillList(
        items=[Bill.model_validate(b) for b in reply.bills], next_page_token=reply.next_page_token
    )


@router.get(
    "/bills/{bill_id}",
    operation_id="getBill",
    summary="Get a supplier bill",
    response_model=Bill,
    dependencies=[PAYABLES_READERS],
    responses=problems(404),
)
async def get_bill(bill_id: IdPath, request: Request) -> Bill:
    """One bill with its lines beside what was ordered and received, its match and what remains
    to pay. Finance and purchasing may read it; 404 when there is no such bill."""
    reply = await request.app.state.clients.billing.GetBill(
        billing_pb2.GetBillRequest(bill_id=bill_id)
    )
    return Bill.model_validate(reply.bill)


@router.post(
    "/bills/{bill_id}/release",
    operation_id="releaseBill",
    summary="Release a held bill",
    response_model=Bill,
    dependencies=[FINANCE],
    responses=problems(404, 409),
)
async def release_bill(bill_id: IdPath, request: Request, body: ReleaseIn | None = None) -> Bill:
    """A held bill becomes payable. 409 when it is not held; 403 when it is under dual control
    and the caller recorded it; 404 when there is no such bill. Finance only."""
    reply = await request.app.state.clients.billing.ReleaseBill(
        billing_pb2.ReleaseBillRequest(bill_id=bill_id, note=(body or ReleaseIn()).note)
    )
    return Bill.model_validate(reply.bill)


@router.post(
    "/payments-sent",
    operation_id="recordSupplierPayment",
    summary="Record a payment sent to a supplier",
    status_code=201,
    response_model=SupplierPayment,
    dependencies=[FINANCE],
)
async def record_supplier_payment(body: SupplierPaymentIn, request: Request) -> SupplierPayment:
    """Money sent to a supplier, allocated to its payable bills as `allocations` say (else
    oldest due first); held bills cannot be paid; the rest is an advance. Finance only. (No
    Location: a payment sent is read in the list, `GET /payments-sent?supplier_id=`.)"""
    reply = await request.app.state.clients.billing.RecordSupplierPayment(
        billing_pb2.RecordSupplierPaymentRequest(
            supplier_id=body.supplier_id,
            amount=body.amount.to_proto(),
            reference=body.reference,
            paid_on=body.paid_on.isoformat(),
            allocations=[
                billing_pb2.BillAllocationRequest(bill_id=a.bill_id, amount=a.amount.to_proto())
                for a in body.allocations
            ],
            request_id=request_id(request),
        )
    )
    return SupplierPayment.model_validate(reply.payment)


@router.post(
    "/payments-sent/{payment_id}/apply",
    operation_id="applySupplierAdvance",
    summary="Pay a bill from a supplier advance",
    response_model=SupplierPayment,
    dependencies=[FINANCE],
    responses=problems(404),
)
async def apply_supplier_advance(
    payment_id: IdPath, body: AdvanceIn, request: Request
) -> SupplierPayment:
    """The payment's advance (what no bill took) applied by hand to a later payable bill of the
    same supplier: AP aging then shows the bill reduced and the advance smaller. Answers the
    payment as it is now; 404 when there is no such payment. Finance only."""
    reply = await request.app.state.clients.billing.ApplySupplierAdvance(
        billing_pb2.ApplySupplierAdvanceRequest(
            payment_id=payment_id,
            bill_id=body.bill_id,
            amount=body.amount.to_proto() if body.amount else None,
            request_id=request_id(request),
        )
    )
    return SupplierPayment.model_validate(reply.payment)


@router.get(
    "/payments-sent",
    operation_id="listSupplierPayments",
    summary="List payments sent to suppliers",
    response_model=SupplierPaymentList,
    dependencies=[PAYABLES_READERS],
)
async def supplier_payments(
    request: Request,
    supplier_id: IdQuery = "",
    bill_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> SupplierPaymentList:
    """Payments sent to suppliers, newest first; `supplier_id` or `bill_id` narrow to one
    supplier's or those that paid one bill. Finance and purchasing may read them."""
    reply = await request.app.state.clients.billing.ListSupplierPayments(
        billing_pb2.ListSupplierPaymentsRequest(
            supplier_id=supplier_id, bill_id=bill_id, page_size=page_size, page_token=page_token
        )
    )
    return SupplierPaymentList(
        items=[SupplierPayment.model_validate(p) for p in reply.payments],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/reports/ap-aging",
    operation_id="getApAgingReport",
    summary="Report payables by age",
    response_model=ApAging,
    dependencies=[PAYABLES_READERS],
)
async def ap_aging(
    request: Request, as_of: date | None = None, supplier_id: IdQuery = ""
) -> ApAging:
    """Unpaid bills by days past due (current, 1-30, 31-60, 61-90, over 90) as of a day (today
    by default), per supplier and currency, and totals, advances beside them; and the whole in
    the reporting currency. `supplier_id` narrows to one supplier. Finance and purchasing may
    read it."""
    reply = await request.app.state.clients.billing.GetApAging(
        billing_pb2.GetApAgingRequest(
            as_of=as_of.isoformat() if as_of else "", supplier_id=supplier_id
        )
    )
    return ApAging.model_validate(reply)
