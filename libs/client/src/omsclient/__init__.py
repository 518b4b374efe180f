"""Typed async gRPC clients for the order management suite, for another team's code.

    from omsclient import OrdersClient, TlsFiles
    from oms.orders.v1 import orders_pb2

    async with OrdersClient.connect("127.0.0.1:20053", TlsFiles.from_env()) as orders:
        page = await orders.list_sales_orders(orders_pb2.ListSalesOrdersRequest(page_size=50))

Mutual TLS with the client's own certificate (registered with scopes such as `orders:read`), a
deadline on every call, reads retried on UNAVAILABLE with backoff (a gRPC service config), and
failures raised as `ServiceError` subclasses carrying the fields at fault.
"""

from omsclient.clients import (
    AuditClient,
    BillingClient,
    CatalogClient,
    InventoryClient,
    OrdersClient,
    ProcurementClient,
    QuotingClient,
)
from omsclient.connection import RetryPolicy, TlsFiles
from omsclient.errors import (
    AlreadyExists,
    DeadlineExceeded,
    FailedPrecondition,
    FieldViolation,
    Internal,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    ServiceError,
    Unauthenticated,
    Unavailable,
)
from omsclient.rpc import Call, Rpc, ServiceClient, pages

__all__ = [
    "AlreadyExists",
    "AuditClient",
    "BillingClient",
    "Call",
    "CatalogClient",
    "DeadlineExceeded",
    "FailedPrecondition",
    "FieldViolation",
    "Internal",
    "InvalidArgument",
    "InventoryClient",
    "NotFound",
    "OrdersClient",
    "PermissionDenied",
    "ProcurementClient",
    "QuotingClient",
    "ResourceExhausted",
    "RetryPolicy",
    "Rpc",
    "ServiceClient",
    "ServiceError",
    "TlsFiles",
    "Unauthenticated",
    "Unavailable",
    "pages",
]
