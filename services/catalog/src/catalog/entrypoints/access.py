"""Who may call each RPC of catalog.v1.CatalogService (servicekit.access). Purchasing keeps the
product master; sales managers keep price lists; finance keeps tax rules; everyone signed in
reads products, and everyone but the warehouse reads prices and tax rules. Orders, quoting and
inventory read products on their own account (and the WooCommerce connector, matching its
stores' SKUs), orders and quoting prices too; clients with
`catalog:read` read both.

Which figures of a product a reader sees (costs, list price) is decided per caller in
domain/rights.py."""

from oms.catalog.v1 import catalog_pb2
from servicekit.access import EVERY_ROLE, AccessTable, allow

READERS = allow(
    *EVERY_ROLE,
    services=("orders", "quoting", "inventory", "woocommerce"),
    scope="catalog:read",
)
PRICE_READERS = allow(
    *(role for role in EVERY_ROLE if role != "warehouse"),
    services=("orders", "quoting"),
    scope="catalog:read",
)
PRODUCT_MASTER = allow("purchasing")
PRICE_LIST_KEEPERS = allow("sales-manager")
TAX_KEEPERS = allow("finance", "admin")

ACCESS = AccessTable(
    catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"],
    {
        "CreateProduct": PRODUCT_MASTER,
        "ChangeProduct": PRODUCT_MASTER,
        "ChangeListPrice": PRODUCT_MASTER,
        "DiscontinueProduct": PRODUCT_MASTER,
        "SetProductSuppliers": PRODUCT_MASTER,
        "AddPicture": PRODUCT_MASTER,
        "CreateCategory": PRODUCT_MASTER,
        "CreatePriceList": PRICE_LIST_KEEPERS,
        "GetProduct": READERS,
        "BatchGetProducts": READERS,
        "ListProducts": READERS,
        "SearchProducts": READERS,
        "ListVariants": READERS,
        "ListCategories": READERS,
        "GetPictureContent": READERS,
        "ListPriceLists": PRICE_READERS,
        "GetPriceList": PRICE_READERS,
        "ResolvePrice": PRICE_READERS,
        "ResolvePrices": PRICE_READERS,
        "CreateTaxRule": TAX_KEEPERS,
        "ListTaxRules": PRICE_READERS,
        "ResolveTaxes": PRICE_READERS,
    },
)
