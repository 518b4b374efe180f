"""billing.v1.BillingService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from billing.application.invoicing import Invoice, Invoicing
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from pricing.wire import money_to_proto
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def invoice_to_proto(invoice: Invoice) -> pb.Invoice:
    return pb.Invoice(
        id=invoice.id,
        number=invoice.number,
        order_id=invoice.order_id,
        shipment_id=invoice.shipment_id,
        customer_id=invoice.customer_id,
        lines=[
            pb.InvoiceLine(
                order_line_id=x.order_line_id,
                product_id=x.product_id,
                sku=x.sku,
                quantity=x.quantity,
                unit_price=money_to_proto(x.unit_price),
                line_total=money_to_proto(x.total),
            )
            for x in invoice.lines
        ],
        total=money_to_proto(invoice.total),
        status=invoice.status,
        issued_at=timestamp(invoice.issued_at),
        quote_id=invoice.quote_id,
        document=invoice.document,
    )


class BillingServicer(billing_pb2_grpc.BillingServiceServicer):
    def __init__(self, invoicing: Invoicing) -> None:
        self.invoicing = invoicing

    async def GetInvoice(
        self, request: pb.GetInvoiceRequest, context: Context
    ) -> pb.GetInvoiceResponse:
        return pb.GetInvoiceResponse(
            invoice=invoice_to_proto(await self.invoicing.get(request.invoice_id))
        )

    async def ListInvoices(
        self, request: pb.ListInvoicesRequest, context: Context
    ) -> pb.ListInvoicesResponse:
        found = await self.invoicing.find(order_id=request.order_id)
        return pb.ListInvoicesResponse(invoices=[invoice_to_proto(i) for i in found])
