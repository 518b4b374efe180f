from typing import Literal

from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Inventory settings, read from INVENTORY_* environment variables."""

    model_config = service_config("INVENTORY_")

    # gRPC address of the catalog, which confirms that the products stock is kept for exist.
    catalog_target: str = "127.0.0.1:20051"
    # True: what cannot be reserved now is backordered and filled first come, first served as
    # stock arrives. False: an order that cannot be reserved in full is rejected (StockRejected).
    backorders: bool = True
    # Which warehouses an order's units come from (see inventory.domain.allocation):
    # "priority" (each line from the first warehouse holding all of it, else split in priority
    # order), "single" (the whole order from one warehouse when one can, else split) or
    # "split" (each line takes what it can from each warehouse in priority order).
    allocation_policy: Literal["priority", "single", "split"] = "single"
    # Reservations of orders not approved within this time are released ("expired").
    reservation_ttl_seconds: float = 7 * 24 * 3600.0
    # How often orders past that time are looked for.
    expiry_interval_seconds: float = 60.0
