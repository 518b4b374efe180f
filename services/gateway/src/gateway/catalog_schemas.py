"""The catalog's REST bodies for kinds, variants, kits, suppliers, pictures and availability.
The catalog service validates the values; these bound their sizes and document them."""

from __future__ import annotations

from pydantic import Base64Bytes, Field

from gateway import schemas
from gateway.schemas import Quantity, Request, Response

# 5 MiB, base64-encoded; the catalog checks the decoded size and what the bytes are.
MAX_PICTURE_BASE64 = 4 * ((5 * 1024 * 1024 + 2) // 3)


class ProductSupplierIn(Request):
    supplier_id: str = Field(max_length=64)
    supplier_sku: str = Field("", max_length=64, description="the supplier's own code")
    cost: str = Field(max_length=40, examples=["4.20"], description="per unit, in `currency`")
    currency: str = Field(max_length=3, examples=["EUR"])
    minimum_order_quantity: Quantity = 1
    lead_time_days: Quantity = 0


class KitComponentIn(Request):
    product_id: str = Field(max_length=36)
    quantity: Quantity = Field(description="units per kit, >= 1")


class PictureLinkIn(Request):
    url: str = Field(max_length=2000, examples=["https://img.example/widget.jpg"])
    alt_text: str = Field("", max_length=500)


class ProductIn(schemas.ProductIn):
    kind: str = Field("stocked", max_length=16, description="stocked, service or kit")
    unit_of_measure: str = Field("pc", max_length=16, examples=["pc", "kg", "h"])
    cost: str = Field("", max_length=40, description="per unit, in the list price's currency")
    tax_category: str = Field("standard", max_length=16, description="standard, reduced, exempt")
    parent_id: str = Field("", max_length=36, description="for a variant: its variable product")
    variant_options: dict[str, str] = Field(default_factory=dict, examples=[{"size": "M"}])
    pictures: list[PictureLinkIn] = Field(default_factory=list, max_length=20)
    suppliers: list[ProductSupplierIn] = Field(default_factory=list, max_length=50)
    components: list[KitComponentIn] = Field(
        default_factory=list, max_length=100, description="for a kit: what one kit holds"
    )
    kit_pricing: str = Field(
        "", max_length=16, description='for a kit: "kit" (the default) or "components"'
    )


class SuppliersIn(Request):
    suppliers: list[ProductSupplierIn] = Field(max_length=50)


class PictureIn(Request):
    """Either `url`, to link a picture, or `content_base64` and `content_type`, to store one
    (PNG, JPEG, GIF or WebP, at most 5 MiB)."""

    url: str = Field("", max_length=2000)
    content_base64: Base64Bytes = Field(b"", max_length=MAX_PICTURE_BASE64)
    content_type: str = Field("", max_length=32, examples=["image/png"])
    alt_text: str = Field("", max_length=500)


class Picture(Response):
    id: str
    url: str
    alt_text: str
    position: int
    stored: bool


class ProductSupplier(Response):
    supplier_id: str
    supplier_sku: str
    cost: str
    currency: str
    minimum_order_quantity: int
    lead_time_days: int


class KitComponent(Response):
    product_id: str
    sku: str
    quantity: int


class Product(schemas.Product):
    kind: str
    unit_of_measure: str
    cost: str
    tax_category: str
    parent_id: str
    variant_options: dict[str, str]
    pictures: list[Picture]
    suppliers: list[ProductSupplier]
    components: list[KitComponent]
    kit_pricing: str


class ProductPage(Response):
    items: list[Product]
    next_cursor: str


class Variants(Response):
    items: list[Product]


class WarehouseAvailability(Response):
    warehouse_id: str
    available: int


class Availability(Response):
    """Units that can be sold now. A kit's are the whole kits its components make up."""

    product_id: str
    kind: str
    warehouses: list[WarehouseAvailability]
    total: int
