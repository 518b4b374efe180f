"""The stand-in's fixture orders (written from WooCommerce's documented order schema) and the
stores they come from."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from woocommerce.domain.stores import Credentials, CustomerPolicy, Store, TaxRounding

FOLDER = Path(__file__).parent / "standin" / "fixtures"
COUPON_TAX_EXCLUSIVE = "coupon_tax_exclusive"
VARIATION_FEE_TAX_INCLUSIVE = "variation_fee_tax_inclusive"
COMPLETED_PARTIAL_REFUND = "completed_partial_refund"
CATALOG = {
    "HOODIE-TRAIL": "p-hoodie",
    "SOCKS-WOOL": "p-socks",
    "SHIRT-LINEN-BLUE-M": "p-shirt-blue-m",
    "MUG-ENAMEL": "p-mug",
}
WEBHOOK_SECRET = "wh-secret_Abc123-xyz"


def order(name: str) -> dict[str, Any]:
    """The fixture as the connector decodes it (JSON numbers with a fraction as Decimal)."""
    data: dict[str, Any] = json.loads((FOLDER / f"{name}.json").read_text(), parse_float=Decimal)
    return data


def raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FOLDER / f"{name}.json").read_text())
    return data


def store(
    store_id: str = "shop-us",
    base_url: str = "https://shop.example.com",
    prices_include_tax: bool = False,
    rounding: TaxRounding = TaxRounding.PER_LINE,
) -> Store:
    return Store(
        store_id=store_id,
        name=f"Shop {store_id}",
        base_url=base_url,
        credentials=Credentials("ck_test", "cs_test", WEBHOOK_SECRET),
        prices_include_tax=prices_include_tax,
        tax_rounding=rounding,
        warehouses=("WH-1",),
        customer_policy=CustomerPolicy.BY_EMAIL,
    )
