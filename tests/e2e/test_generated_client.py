"""A client generated from the live OpenAPI document by an off-the-shelf generator
(openapi-python-client), without a warning, runs order to cash: a product stocked, a customer,
an order reserved, shipped and invoiced. What the document says is enough to build on."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from testkit.services import signed_in
from tests.e2e.helpers import eventually

PACKAGE = "oms_generated_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
# The generator reads application/json (and *+json) and octet-stream; our PDFs, pictures and CSV
# uploads are bytes to it. No post hooks: the generated code is imported, not committed.
CONFIG = """\
content_type_overrides:
  application/pdf: application/octet-stream
  image/*: application/octet-stream
  text/csv: application/octet-stream
post_hooks: []
"""


@pytest.fixture(scope="module")
def generated(gateway_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the gateway's /openapi.json, importable."""
    root = tmp_path_factory.mktemp("generated")
    spec, config = root / "openapi.json", root / "config.yaml"
    spec.write_text(json.dumps(httpx.get(f"{gateway_url}/openapi.json", timeout=30).json()))
    config.write_text(CONFIG)
    generate = [GENERATOR, "generate", "--path", spec, "--config", config, "--meta", "none"]
    ran = subprocess.run(
        [*generate, "--fail-on-warning", "--output-path", root / PACKAGE],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    said = ran.stdout + ran.stderr
    assert ran.returncode == 0, said
    assert "warning" not in said.lower(), said  # what it skips, it warns about
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


class _Api:
    """The generated operations of one tag: `_Api("orders").get_sales_order`."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __getattr__(self, operation: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.api.{self.tag}.{operation}")


def _models() -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


async def test_a_generated_client_runs_order_to_cash(
    generated: ModuleType, gateway_url: str
) -> None:
    m = _models()
    catalog, inventory, customers = _Api("catalog"), _Api("inventory"), _Api("customers")
    orders = _Api("orders")
    token = signed_in("e2e-generated", "admin")["Authorization"].removeprefix("Bearer ")
    client = generated.AuthenticatedClient(base_url=gateway_url, token=token, timeout=30.0)
    async with client:
        # a product, stocked in a new warehouse
        sku = f"GEN-{uuid.uuid4().hex[:8]}"
        created = await catalog.create_product.asyncio_detailed(
            client=client,
            body=m.ProductIn(
                sku=sku, name="Widget", list_price=m.MoneyIn(amount="12.50", currency="EUR")
            ),
            idempotency_key=f"product-{sku}",
        )
        assert created.status_code == 201, created.content
        product = created.parsed
        assert isinstance(product, m.Product)
        location = created.headers["location"]
        again = await catalog.get_product.asyncio(product.id, client=client)
        assert location == f"/api/v1/products/{product.id}"
        assert isinstance(again, m.Product)
        assert again.sku == sku

        warehouse = await inventory.create_warehouse.asyncio(
            client=client,
            body=m.WarehouseIn(code=f"G{uuid.uuid4().hex[:6]}", name="Generated"),
        )
        assert isinstance(warehouse, m.Warehouse)
        level = await inventory.adjust_stock.asyncio(
            client=client,
            body=m.StockAdjustmentIn(
                warehouse_id=warehouse.id,
                product_id=product.id,
                quantity_delta=10,
                reason="initial count",
            ),
        )
        assert isinstance(level, m.StockLevel)
        assert level.on_hand == 10

        # a customer, and an order for three
        customer = await customers.create_customer.asyncio(
            client=client,
            body=m.CustomerIn(
                name=f"Generated {uuid.uuid4().hex[:6]}",
                kind=m.CustomerInKind.COMPANY,
                currency="EUR",
            ),
        )
        assert isinstance(customer, m.Customer)
        order = await orders.place_sales_order.asyncio(
            client=client,
            body=m.SalesOrderIn(
                customer_id=customer.id,
                currency="EUR",
                lines=[m.OrderLineIn(product_id=product.id, quantity=3)],
            ),
            idempotency_key=f"order-{sku}",
        )
        assert isinstance(order, m.SalesOrder), order
        assert (order.total.amount, order.total.currency) == ("37.50", "EUR")

        reserved = await eventually(
            lambda: orders.get_sales_order.asyncio(order.id, client=client),
            lambda o: isinstance(o, m.SalesOrder) and o.stock_status == "reserved",
        )
        assert reserved.lines[0].reserved == 3

        # shipped, then invoiced
        shipment = await inventory.ship_order.asyncio(
            client=client,
            body=m.ShipmentIn(
                order_id=order.id,
                warehouse_id=warehouse.id,
                carrier="DHL",
                tracking_number="1Z999",
            ),
        )
        assert isinstance(shipment, m.Shipment), shipment
        assert [line.quantity for line in shipment.lines] == [3]

        summary = await eventually(
            lambda: orders.get_sales_order_summary.asyncio(order.id, client=client),
            lambda s: (
                isinstance(s, m.OrderSummary)
                and s.order.status == "invoiced"
                and len(s.invoices) == 1
            ),
        )
        assert [s.id for s in summary.shipments] == [shipment.id]
        (invoice,) = summary.invoices
        assert invoice.number.startswith("INV-")
        assert (invoice.total.amount, invoice.total.currency) == ("37.50", "EUR")

        # an error is a typed problem
        missing = await orders.get_sales_order.asyncio_detailed(str(uuid.uuid4()), client=client)
        assert missing.status_code == 404
        assert isinstance(missing.parsed, m.Problem)
        assert missing.parsed.status == 404
        assert missing.headers["content-type"] == "application/problem+json"
