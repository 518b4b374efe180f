"""Who may call each RPC of inventory.v1.InventoryService (servicekit.access). The warehouse
keeps the stock: it creates warehouses, adjusts, transfers, receives, ships and takes returns
back. Purchasing announces the goods its purchase orders bring and sets reorder points. Every
signed-in person reads (inventory replies carry quantities, never prices or costs), and so do
internal clients holding `inventory:read`. No suite service calls inventory on its own account."""

from oms.inventory.v1 import inventory_pb2
from servicekit.access import EVERY_ROLE, AccessTable, allow

READERS = allow(*EVERY_ROLE, scope="inventory:read")
WAREHOUSE = allow("warehouse")
STOCK_PLANNING = allow("warehouse", "purchasing")

ACCESS = AccessTable(
    inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"],
    {
        "CreateWarehouse": WAREHOUSE,
        "ListWarehouses": READERS,
        "AdjustStock": WAREHOUSE,
        "GetStock": READERS,
        "ShipOrder": WAREHOUSE,
        "ListShipments": READERS,
        "ReceiveGoods": WAREHOUSE,
        "TransferStock": WAREHOUSE,
        "SetReorderPoint": STOCK_PLANNING,
        "ExpectGoods": STOCK_PLANNING,
        "ListReservations": READERS,
        "GetAvailability": READERS,
        "UpdateShipmentStatus": WAREHOUSE,
        "ReceiveReturn": WAREHOUSE,
    },
)
