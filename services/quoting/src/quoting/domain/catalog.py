"""What the catalog says about the products a quote names, as pricing a quote needs it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class KitComponent:
    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class CatalogItem:
    """A product when the quote is priced."""

    product_id: str
    sku: str
    name: str
    kind: str  # "stocked", "service" or "kit"
    active: bool
    components: tuple[KitComponent, ...] = ()
    kit_pricing: str = "kit"  # "kit": one line; "components": a line per component
    # Which tax rules tax it: "standard", "reduced" or "exempt".
    tax_category: str = "standard"

    @property
    def explodes(self) -> bool:
        return self.kind == "kit" and self.kit_pricing == "components"


@dataclass(frozen=True)
class ResolvedPrice:
    unit_price: Decimal
    rule: str


# A price is resolved for a product at a quantity (quantity breaks).
PriceKey = tuple[str, int]
