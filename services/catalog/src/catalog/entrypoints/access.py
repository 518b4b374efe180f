"""Who may call each RPC of catalog.v1.CatalogService (servicekit.access). Purchasing keeps the
product master; sales managers keep price lists; everyone signed in reads. Orders, quoting and
inventory read products and prices on their own account; clients with `catalog:read` read."""

from oms.catalog.v1 import catalog_pb2
from servicekit.access import EVERY_ROLE, AccessTable, allow

READERS = allow(*EVERY_ROLE, services=("orders", "quoting", "inventory"), scope="catalog:read")
PRODUCT_MASTER = allow("purchasing")

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
        "CreatePriceList": allow("sales-manager"),
        "GetProduct": READERS,
        "BatchGetProducts": READERS,
        "ListProducts": READERS,
        "SearchProducts": READERS,
        "ListVariants": READERS,
        "ListCategories": READERS,
        "GetPictureContent": READERS,
        "ResolvePrice": READERS,
        "ResolvePrices": READERS,
    },
)
