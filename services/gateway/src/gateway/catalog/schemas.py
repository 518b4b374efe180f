"""The catalog's REST bodies: products (kinds, variants, kits, suppliers, pictures), categories,
price lists, resolved prices and availability. The catalog service validates the values; these
bound every size as the catalog's columns do and document them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Base64Bytes, BeforeValidator, Field

from gateway import examples as ex
from gateway.bodies import Count, Date, Id, Money, MoneyIn, Request, Response, When
from gateway.catalog import examples as cx
from oms.catalog.v1 import catalog_pb2 as pb
from oms.types.v1.types_pb2 import Money as MoneyMessage

# 5 MiB, base64-encoded; the catalog checks the decoded size and what the bytes are.
MAX_PICTURE_BASE64 = 4 * ((5 * 1024 * 1024 + 2) // 3)

Amount = Annotated[str, Field(max_length=40, examples=["4.20"], description="a decimal string")]
Currency = Annotated[str, Field(min_length=3, max_length=3, examples=["EUR"])]
Attributes = Annotated[
    dict[
        Annotated[str, Field(min_length=1, max_length=50)],
        Annotated[str, Field(max_length=200)],
    ],
    Field(max_length=50, examples=[{"colour": "blue"}]),
]


def _unset_is_null(value: Any) -> Any:
    """A list price the caller may not see comes without an amount: null."""
    return None if isinstance(value, MoneyMessage) and not value.amount else value


# Products


class ProductSupplierIn(Request):
    """A supplier of the product: its code, cost and terms."""

    supplier_id: str = Field(max_length=64)
    supplier_sku: str = Field("", max_length=64, description="the supplier's own code")
    cost: Amount = Field(description="per unit, in `currency`")
    currency: Currency
    minimum_order_quantity: int = Field(1, ge=1, le=1_000_000_000)
    lead_time_days: int = Field(0, ge=0, le=3650)

    def to_proto(self) -> pb.ProductSupplier:
        return pb.ProductSupplier(**self.model_dump())


class KitComponentIn(Request):
    """A product in a kit and how many of it one kit holds."""

    product_id: Id
    quantity: Count = Field(description="units per kit")


class PictureLinkIn(Request):
    """A picture linked by URL."""

    url: str = Field(max_length=2000, examples=["https://img.example/widget.jpg"])
    alt_text: str = Field("", max_length=500)


class ProductIn(Request):
    """A new product: stocked, a service, a kit or a variant of a variable product."""

    model_config = ex.examples(cx.PRODUCT_IN)

    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    list_price: MoneyIn
    category_id: Id = ""
    attributes: Attributes = Field(default_factory=dict)
    kind: str = Field("stocked", max_length=16, description="stocked, service or kit")
    unit_of_measure: str = Field("pc", max_length=16, examples=["pc", "kg", "h"])
    cost: Amount = Field("", description="per unit, in the list price's currency")
    tax_category: str = Field("standard", max_length=16, description="standard, reduced, exempt")
    parent_id: Id = Field("", description="for a variant: its variable product")
    variant_options: Attributes = Field(default_factory=dict)
    pictures: list[PictureLinkIn] = Field(default_factory=list, max_length=20)
    suppliers: list[ProductSupplierIn] = Field(default_factory=list, max_length=50)
    components: list[KitComponentIn] = Field(
        default_factory=list, max_length=100, description="for a kit: what one kit holds"
    )
    kit_pricing: str = Field(
        "", max_length=16, description='for a kit: "kit" (the default) or "components"'
    )

    def to_proto(self, request_id: str) -> pb.CreateProductRequest:
        return pb.CreateProductRequest(
            sku=self.sku,
            name=self.name,
            description=self.description,
            list_price=self.list_price.to_proto(),
            category_id=self.category_id,
            attributes=self.attributes,
            kind=self.kind,
            unit_of_measure=self.unit_of_measure,
            cost=self.cost,
            tax_category=self.tax_category,
            parent_id=self.parent_id,
            variant_options=self.variant_options,
            pictures=[pb.Picture(url=p.url, alt_text=p.alt_text) for p in self.pictures],
            suppliers=[s.to_proto() for s in self.suppliers],
            components=[
                pb.KitComponent(product_id=c.product_id, quantity=c.quantity)
                for c in self.components
            ],
            kit_pricing=self.kit_pricing,
            request_id=request_id,
        )


class ProductChange(Request):
    """Only what the body names changes."""

    model_config = ex.examples(cx.PRODUCT_CHANGE)

    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    cost: Amount | None = Field(
        None, description="per unit, in the list price's currency; '' unknown"
    )
    category_id: str | None = Field(None, max_length=36, description="'' for none")
    tax_category: str | None = Field(None, max_length=16, description="standard, reduced, exempt")

    def to_proto(self, product_id: str) -> pb.ChangeProductRequest:
        request = pb.ChangeProductRequest(
            product_id=product_id,
            name=self.name or "",
            description=self.description or "",
            keep_name=self.name is None,
            keep_description=self.description is None,
        )
        for name in ("cost", "category_id", "tax_category"):
            if getattr(self, name) is not None:
                setattr(request, name, getattr(self, name))
        return request


class SuppliersIn(Request):
    """Every supplier of the product: the list replaces the one before."""

    model_config = ex.examples(cx.SUPPLIERS_IN)

    suppliers: list[ProductSupplierIn] = Field(max_length=50)

    def to_proto(self) -> list[pb.ProductSupplier]:
        return [s.to_proto() for s in self.suppliers]


class PictureIn(Request):
    """Either `url`, to link a picture, or `content_base64` and `content_type`, to store one
    (PNG, JPEG, GIF or WebP, at most 5 MiB)."""

    model_config = ex.examples(cx.PICTURE_IN)

    url: str = Field("", max_length=2000)
    content_base64: Base64Bytes = Field(b"", max_length=MAX_PICTURE_BASE64)
    content_type: str = Field("", max_length=32, examples=["image/png"])
    alt_text: str = Field("", max_length=500)


class Picture(Response):
    """A picture of a product: linked (`url` elsewhere) or stored (served at `url`)."""

    id: str
    url: str
    alt_text: str
    position: int
    stored: bool


class ProductSupplier(Response):
    """A supplier of the product, with its cost unless withheld."""

    supplier_id: str
    supplier_sku: str
    cost: str = Field(description='empty when withheld (see the product\'s "withheld")')
    currency: str
    minimum_order_quantity: int
    lead_time_days: int


class KitComponent(Response):
    """A product in a kit and how many of it one kit holds."""

    product_id: str
    sku: str
    quantity: int


class Product(Response):
    """A product, without what the caller may not see (named in `withheld`)."""

    model_config = ex.examples(cx.PRODUCT)

    id: str
    sku: str
    name: str
    description: str
    list_price: Annotated[Money | None, BeforeValidator(_unset_is_null)] = Field(
        description="null when withheld"
    )
    active: bool
    created_at: When
    created_by: str
    category_id: str
    attributes: dict[str, str]
    kind: str
    unit_of_measure: str
    cost: str = Field(description="empty when unknown or withheld")
    tax_category: str
    parent_id: str
    variant_options: dict[str, str]
    pictures: list[Picture]
    suppliers: list[ProductSupplier]
    components: list[KitComponent]
    kit_pricing: str
    withheld: list[str] = Field(
        description='what you may not see and so was left out: "list_price" (not for the '
        'warehouse), "cost" and "suppliers.cost" (for purchasing and finance only)'
    )


class ProductPage(Response):
    """A page of products."""

    model_config = ex.examples(ex.page(cx.PRODUCT))

    items: list[Product]
    next_page_token: str = Field(description="empty on the last page")


class WarehouseAvailability(Response):
    """Units available in one warehouse."""

    warehouse_id: str
    available: int


class Availability(Response):
    """Units that can be sold now, as inventory counts them. A kit's are the whole kits its
    components make up."""

    model_config = ex.examples(cx.AVAILABILITY)

    product_id: str
    kind: str
    warehouses: list[WarehouseAvailability]
    total: int


# Categories


class CategoryIn(Request):
    """A new category, under `parent_id` or at the top."""

    model_config = ex.examples(cx.CATEGORY_IN)

    name: str = Field(max_length=200)
    parent_id: Id = ""


class Category(Response):
    """A product category; `parent_id` is empty at the top of the tree."""

    model_config = ex.examples(cx.CATEGORY)

    id: str
    name: str
    parent_id: str


class CategoryPage(Response):
    """A page of categories, parents before children."""

    model_config = ex.examples(ex.page(cx.CATEGORY))

    items: list[Category]
    next_page_token: str = Field(description="empty on the last page")


# Price lists and prices


class PriceBreakIn(Request):
    """The unit price of a product from a quantity on."""

    product_id: Id
    min_quantity: Count
    unit_price: Amount = Field(examples=["9.50"])


class PriceListIn(Request):
    """A new price list: breaks per product for a customer group and currency."""

    model_config = ex.examples(cx.PRICE_LIST_IN)

    name: str = Field(max_length=200)
    currency: Currency
    customer_group: str = Field("", max_length=100)
    valid_from: Date = Field("", description="YYYY-MM-DD; empty: unbounded")
    valid_to: Date = Field("", description="YYYY-MM-DD, inclusive; empty: unbounded")
    breaks: list[PriceBreakIn] = Field(max_length=10_000)

    def to_proto(self) -> pb.CreatePriceListRequest:
        return pb.CreatePriceListRequest(
            name=self.name,
            currency=self.currency,
            customer_group=self.customer_group,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            breaks=[
                pb.PriceBreak(
                    product_id=b.product_id, min_quantity=b.min_quantity, unit_price=b.unit_price
                )
                for b in self.breaks
            ],
        )


class PriceBreak(Response):
    """The unit price of a product from a quantity on."""

    product_id: str
    min_quantity: int
    unit_price: str


class PriceList(Response):
    """A price list; in a page, without its breaks (`break_count` says how many)."""

    model_config = ex.examples(cx.PRICE_LIST)

    id: str
    name: str
    currency: str
    customer_group: str
    valid_from: str
    valid_to: str
    breaks: list[PriceBreak] = Field(description="empty in a page of price lists")
    break_count: int


class PriceListPage(Response):
    """A page of price lists."""

    model_config = ex.examples(ex.page({**cx.PRICE_LIST, "breaks": []}))

    items: list[PriceList]
    next_page_token: str = Field(description="empty on the last page")


class ResolvedPrice(Response):
    """The unit price a customer group pays, and the rule that set it."""

    model_config = ex.examples(cx.RESOLVED_PRICE)

    unit_price: Money
    rule: str
