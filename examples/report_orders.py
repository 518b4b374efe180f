"""Reports sales orders and invoices, a page at a time, as another team's program would: through
the client package (`pip install libs/client`), with the client's own certificate.

The platform team registers the client once (`python -m devstack.pki register-client reporting
--scope orders:read --scope billing:read`); this program registers nothing. It reads:

    OMS_TLS_CA_FILE, OMS_TLS_CERT_FILE, OMS_TLS_KEY_FILE   the CA and the client's PEM files
    OMS_ORDERS_TARGET, OMS_BILLING_TARGET                  host:port (default: make run's)

    python examples/report_orders.py [--page-size 50] [--status shipped]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from oms.billing.v1 import billing_pb2
from oms.orders.v1 import orders_pb2
from omsclient import BillingClient, OrdersClient, ServiceError, TlsFiles, pages


@dataclass
class Report:
    orders_by_status: Counter[str] = field(default_factory=Counter)
    # currency -> sum of order totals
    ordered: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    invoices_by_status: Counter[str] = field(default_factory=Counter)
    # currency -> what is left to pay
    open_balance: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    order_ids: list[str] = field(default_factory=list)
    invoice_numbers: list[str] = field(default_factory=list)
    pages_read: int = 0


async def read_orders(orders: OrdersClient, report: Report, page_size: int, status: str) -> None:
    request = orders_pb2.ListSalesOrdersRequest(page_size=page_size, status=status)
    async for page in pages(orders.list_sales_orders, request):
        report.pages_read += 1
        for order in page.orders:
            report.order_ids.append(order.id)
            report.orders_by_status[order.status] += 1
            if order.total.currency:  # empty when the caller may not see prices
                report.ordered[order.total.currency] += Decimal(order.total.amount)


async def read_invoices(billing: BillingClient, report: Report, page_size: int) -> None:
    request = billing_pb2.ListInvoicesRequest(page_size=page_size)
    async for page in pages(billing.list_invoices, request):
        report.pages_read += 1
        for invoice in page.invoices:
            report.invoice_numbers.append(invoice.number)
            report.invoices_by_status[invoice.status] += 1
            if invoice.balance.currency:
                report.open_balance[invoice.balance.currency] += Decimal(invoice.balance.amount)


async def build_report(
    orders_target: str, billing_target: str, tls: TlsFiles, page_size: int = 50, status: str = ""
) -> Report:
    report = Report()
    async with (
        OrdersClient.connect(orders_target, tls) as orders,
        BillingClient.connect(billing_target, tls) as billing,
    ):
        await read_orders(orders, report, page_size, status)
        await read_invoices(billing, report, page_size)
    return report


def show(report: Report) -> None:
    print(f"sales orders: {len(report.order_ids)}")
    for status, count in sorted(report.orders_by_status.items()):
        print(f"  {status:<20} {count}")
    for currency, amount in sorted(report.ordered.items()):
        print(f"  ordered {amount} {currency}")
    print(f"invoices: {len(report.invoice_numbers)}")
    for status, count in sorted(report.invoices_by_status.items()):
        print(f"  {status:<20} {count}")
    for currency, amount in sorted(report.open_balance.items()):
        print(f"  open {amount} {currency}")
    print(f"({report.pages_read} pages read)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page-size", type=int, default=50, help="1 to 200")
    parser.add_argument("--status", default="", help="only orders in this status")
    args = parser.parse_args()
    try:
        report = asyncio.run(
            build_report(
                os.environ.get("OMS_ORDERS_TARGET", "127.0.0.1:20053"),
                os.environ.get("OMS_BILLING_TARGET", "127.0.0.1:20055"),
                TlsFiles.from_env(),
                args.page_size,
                args.status,
            )
        )
    except ServiceError as error:
        # e.g. PERMISSION_DENIED: the client lacks orders:read or billing:read
        raise SystemExit(f"{error.code}: {error.message}") from error
    show(report)


if __name__ == "__main__":
    main()
