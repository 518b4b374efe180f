"""Who may call each RPC of woocommerce.v1.StoreOrdersService (servicekit.access): the order
desk works the parked orders (reads and retries them), sales managers read them, admin does
both (admin passes every rule)."""

from oms.woocommerce.v1 import store_orders_pb2
from servicekit.access import AccessTable, allow

ACCESS = AccessTable(
    store_orders_pb2.DESCRIPTOR.services_by_name["StoreOrdersService"],
    {
        "ListStoreOrders": allow("order-desk", "sales-manager", "admin"),
        "RetryStoreOrder": allow("order-desk", "admin"),
    },
)
