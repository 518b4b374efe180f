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


@router.post("/bills", status_code=201, response_model=Bill, dependencies=[FINANCE])
async def record_bill(body: BillIn, request: Request, response: Response) -> Bill:
    """A supplier's bill, matched three ways against its purchase order and the goods received:
    "matched" or "held" with the reason per line (also held, for a second finance user to
    release, when it is above the dual-control amount). 422 on `currency` for another currency
    than the order's, on `lines[i].quantity` for more than was received."""
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


@router.get("/bills", response_model=BillList, dependencies=[PAYABLES_READERS])
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
    """Bills, newest first."""
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


@router.get("/bills/{bill_id}", response_model=Bill, dependencies=[PAYABLES_READERS])
async def get_bill(bill_id: IdPath, request: Request) -> Bill:
    reply = await request.app.state.clients.billing.GetBill(
        billing_pb2.GetBillRequest(bill_id=bill_id)
    )
    return Bill.model_validate(reply.bill)


@router.post("/bills/{bill_id}/release", response_model=Bill, dependencies=[FINANCE])
async def release_bill(bill_id: IdPath, request: Request, body: ReleaseIn | None = None) -> Bill:
    """A held bill becomes payable. 409 when it is not held; 403 when it is under dual control
    and the caller recorded it."""
    reply = await request.app.state.clients.billing.ReleaseBill(
        billing_pb2.ReleaseBillRequest(bill_id=bill_id, note=(body or ReleaseIn()).note)
    )
    return Bill.model_validate(reply.bill)


@router.post(
    "/payments-sent", status_code=201, response_model=SupplierPayment, dependencies=[FINANCE]
)
async def record_supplier_payment(
    body: SupplierPaymentIn, request: Request, response: Response
) -> SupplierPayment:
    """Money sent to a supplier, allocated to its payable bills as `allocations` say (else
    oldest due first); held bills cannot be paid; the rest is an advance."""
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
    response.headers["Location"] = f"{request.url.path}/{reply.payment.id}"
    return SupplierPayment.model_validate(reply.payment)


@router.post(
    "/payments-sent/{payment_id}/apply",
    response_model=SupplierPayment,
    dependencies=[FINANCE],
)
async def apply_supplier_advance(
    payment_id: IdPath, body: AdvanceIn, request: Request
) -> SupplierPayment:
    """The payment's advance (what no bill took) applied by hand to a later payable bill of the
    same supplier: AP aging then shows the bill reduced and the advance smaller."""
    reply = await request.app.state.clients.billing.ApplySupplierAdvance(
        billing_pb2.ApplySupplierAdvanceRequest(
            payment_id=payment_id,
            bill_id=body.bill_id,
            amount=body.amount.to_proto() if body.amount else None,
            request_id=request_id(request),
        )
    )
    return SupplierPayment.model_validate(reply.payment)


@router.get("/payments-sent", response_model=SupplierPaymentList, dependencies=[PAYABLES_READERS])
async def supplier_payments(
    request: Request,
    supplier_id: IdQuery = "",
    bill_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> SupplierPaymentList:
    """Payments sent (to one supplier, for one bill), newest first."""
    reply = await request.app.state.clients.billing.ListSupplierPayments(
        billing_pb2.ListSupplierPaymentsRequest(
            supplier_id=supplier_id, bill_id=bill_id, page_size=page_size, page_token=page_token
        )
    )
    return SupplierPaymentList(
        items=[SupplierPayment.model_validate(p) for p in reply.payments],
        next_page_token=reply.next_page_token,
    )


@router.get("/reports/ap-aging", response_model=ApAging, dependencies=[PAYABLES_READERS])
async def ap_aging(
    request: Request, as_of: date | None = None, supplier_id: IdQuery = ""
) -> ApAging:
    """Unpaid bills by days past due as of a day, per supplier and currency, and totals."""
    reply = await request.app.state.clients.billing.GetApAging(
        billing_pb2.GetApAgingRequest(
            as_of=as_of.isoformat() if as_of else "", supplier_id=supplier_id
        )
    )
    return ApAging.model_validate(reply)
