"""A priced document as an accepted quote carries it, for services that receive one."""

from __future__ import annotations

import uuid

from oms.types.v1 import pricing_pb2 as pb
from pricing.wire import priced

VAT19 = pb.TaxRate(code="VAT19", rate="0.19")
VAT7 = pb.TaxRate(code="VAT7", rate="0.07")


def a_priced_document(currency: str = "EUR") -> pb.PricedDocument:
    """Two stocked lines, a kit sold as one line, a service, a group discount, two tax rates and
    taxable shipping. Total: see the breakdown (the engine's own figures)."""

    def line(sku: str, quantity: int, price: str, **fields: object) -> pb.DocumentLine:
        return pb.DocumentLine(
            line_id=str(uuid.uuid4()),
            sku=sku,
            description=sku,
            quantity=str(quantity),
            unit_price=price,
            **fields,  # type: ignore[arg-type]
        )

    kit_parts = [
        pb.KitPart(product_id="p-w", sku="W-1", quantity=1),
        pb.KitPart(product_id="p-b", sku="B-1", quantity=4),
    ]
    return priced(
        pb.PricedDocument(
            currency=currency,
            groups=[
                pb.DocumentGroup(
                    name="Hardware",
                    discount=pb.Discount(percent="5"),
                    taxes=[VAT19],
                    lines=[
                        line("W-1", 3, "19.99", product_id="p-w", kind="stocked"),
                        line("B-1", 10, "0.35", product_id="p-b", kind="stocked"),
                        line("K-1", 2, "24.00", product_id="p-k", kind="kit", kit_parts=kit_parts),
                    ],
                ),
                pb.DocumentGroup(
                    name="Services",
                    taxes=[VAT7],
                    lines=[line("SVC-1", 2, "80.00", product_id="p-s", kind="service")],
                ),
            ],
            shipping=[pb.ShippingCharge(description="Freight", amount="9.90", taxes=[VAT19])],
        )
    )
