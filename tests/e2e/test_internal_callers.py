"""Another team's code calling the suite over gRPC, as that team would: the client package
(`libs/client`) with the team's own registered certificate and scopes, no token, no stubs of its
own. Every service's reads answer; every write is PERMISSION_DENIED (commands stay with people,
through the gateway) and arrives as the package's exception; a bad request arrives with its
field violations. The example report program runs as the team would run it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from devstack.supervisor import Stack
from oms.audit.v1 import audit_pb2
from oms.billing.v1 import billing_pb2
from oms.catalog.v1 import catalog_pb2
from oms.inventory.v1 import inventory_pb2
from oms.orders.v1 import customers_pb2, orders_pb2
from oms.procurement.v1 import procurement_pb2
from oms.quoting.v1 import quoting_pb2
from omsclient import (
    AuditClient,
    BillingClient,
    CatalogClient,
    FieldViolation,
    InvalidArgument,
    InventoryClient,
    OrdersClient,
    PermissionDenied,
    ProcurementClient,
    QuotingClient,
    TlsFiles,
)
from testkit.security import session_security
from tests.e2e.helpers import Api, new_customer

ROOT = Path(__file__).parents[2]
READ_SCOPES = [
    f"{service}:read"
    for service in ("catalog", "quoting", "orders", "inventory", "billing", "procurement", "audit")
]


def registered(*scopes: str) -> tuple[str, TlsFiles]:
    """A new client registered by the platform team: its name and its certificate files."""
    name = f"reporting-{uuid.uuid4().hex[:6]}"
    files = session_security().pki.register_client(name, list(scopes))
    return name, TlsFiles(files.ca, files.cert, files.key)


async def once_admitted(call: Callable[[], Awaitable[Any]]) -> Any:
    """The first answer once the services have re-read the registry (every 5 s at most)."""
    for _ in range(100):
        try:
            return await call()
        except PermissionDenied:
            await asyncio.sleep(0.2)
    return await call()


@pytest.fixture(scope="module")
async def placed_order(e2e_stack: Stack) -> str:
    """An order placed through the gateway by a person, for the client to read back."""
    api = Api(e2e_stack.gateway_url, "e2e-order-desk", "admin")
    try:
        product = await api.created(
            "/products",
            {
                "sku": f"SKU-{uuid.uuid4().hex[:8]}",
                "name": "Report widget",
                "list_price": {"amount": "7.25", "currency": "EUR"},
            },
        )
        order = await api.created(
            "/sales-orders",
            {
                "customer_id": await new_customer(api),
                "currency": "EUR",
                "lines": [{"product_id": product["id"], "quantity": 2}],
            },
        )
        return str(order["id"])
    finally:
        await api.aclose()


async def test_each_service_answers_an_outside_teams_reads_and_refuses_its_writes(
    e2e_stack: Stack, placed_order: str
) -> None:
    _, tls = registered(*READ_SCOPES)

    def target(service: str) -> str:
        return f"127.0.0.1:{e2e_stack.ports.grpc(service)}"

    async with OrdersClient.connect(target("orders"), tls) as orders:
        found = await once_admitted(
            lambda: orders.get_sales_order(orders_pb2.GetSalesOrderRequest(order_id=placed_order))
        )
        assert found.order.id == placed_order
        assert [line.quantity for line in found.order.lines] == [2]
        listed = await orders.list_customers(customers_pb2.ListCustomersRequest(page_size=5))
        assert listed.customers
        with pytest.raises(PermissionDenied) as refused:
            await orders.cancel_sales_order(
                orders_pb2.CancelSalesOrderRequest(order_id=placed_order, reason="not ours")
            )
        assert refused.value.code == "PERMISSION_DENIED"
        with pytest.raises(InvalidArgument) as invalid:
            await orders.list_sales_orders(orders_pb2.ListSalesOrdersRequest(page_size=1000))
        assert [v.field for v in invalid.value.violations] == ["page_size"]
        assert isinstance(invalid.value.violations[0], FieldViolation)

    async with CatalogClient.connect(target("catalog"), tls) as catalog:
        assert (await catalog.list_products(catalog_pb2.ListProductsRequest(page_size=5))).products
        with pytest.raises(PermissionDenied):
            await catalog.create_category(catalog_pb2.CreateCategoryRequest())

    async with QuotingClient.connect(target("quoting"), tls) as quoting:
        await quoting.list_quotes(quoting_pb2.ListQuotesRequest(page_size=5))
        with pytest.raises(PermissionDenied):
            await quoting.create_quote(quoting_pb2.CreateQuoteRequest())

    async with InventoryClient.connect(target("inventory"), tls) as inventory:
        await inventory.list_warehouses(inventory_pb2.ListWarehousesRequest())
        with pytest.raises(PermissionDenied):
            await inventory.create_warehouse(inventory_pb2.CreateWarehouseRequest())

    async with BillingClient.connect(target("billing"), tls) as billing:
        await billing.list_invoices(billing_pb2.ListInvoicesRequest(page_size=5))
        with pytest.raises(PermissionDenied):
            await billing.set_exchange_rate(billing_pb2.SetExchangeRateRequest())

    async with ProcurementClient.connect(target("procurement"), tls) as procurement:
        await procurement.list_suppliers(procurement_pb2.ListSuppliersRequest(page_size=5))
        with pytest.raises(PermissionDenied):
            await procurement.create_supplier(procurement_pb2.CreateSupplierRequest())

    async with AuditClient.connect(target("orders"), tls) as audit:
        entries = await audit.list_audit_entries(
            audit_pb2.ListAuditEntriesRequest(entity_type="sales_order", entity_id=placed_order)
        )
        assert {e.entity_id for e in entries.entries} == {placed_order}


async def test_a_client_reads_only_what_its_scopes_cover(e2e_stack: Stack) -> None:
    _, tls = registered("orders:read")
    async with OrdersClient.connect(f"127.0.0.1:{e2e_stack.ports.grpc('orders')}", tls) as orders:
        await once_admitted(lambda: orders.list_sales_orders(orders_pb2.ListSalesOrdersRequest()))
    async with BillingClient.connect(f"127.0.0.1:{e2e_stack.ports.grpc('billing')}", tls) as bills:
        with pytest.raises(PermissionDenied) as refused:
            await bills.list_invoices(billing_pb2.ListInvoicesRequest())
    assert "billing:read" in refused.value.message


async def test_the_example_report_runs_as_a_team_would_run_it(
    e2e_stack: Stack, placed_order: str
) -> None:
    _, tls = registered("orders:read", "billing:read")
    async with OrdersClient.connect(f"127.0.0.1:{e2e_stack.ports.grpc('orders')}", tls) as orders:
        await once_admitted(lambda: orders.list_sales_orders(orders_pb2.ListSalesOrdersRequest()))
    env = {
        **os.environ,
        "OMS_TLS_CA_FILE": str(tls.ca),
        "OMS_TLS_CERT_FILE": str(tls.cert),
        "OMS_TLS_KEY_FILE": str(tls.key),
        "OMS_ORDERS_TARGET": f"127.0.0.1:{e2e_stack.ports.grpc('orders')}",
        "OMS_BILLING_TARGET": f"127.0.0.1:{e2e_stack.ports.grpc('billing')}",
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(ROOT / "examples" / "report_orders.py"), "--page-size", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "sales orders:" in done.stdout
    assert "invoices:" in done.stdout
    assert "pages read" in done.stdout
