"""Who may call each RPC of procurement.v1.ProcurementService (servicekit.access).

Purchasing keeps suppliers, RFQs, contracts, purchase orders and reorder rules. Finance reads
them all (it pays the bills they lead to). The warehouse reads suppliers, purchase orders (to
receive them) and reorder rules, without prices (application.rights strips them); RFQs and
contracts are prices and nothing else, so it reads neither. Sales reads nothing here: supplier
costs are not theirs to see. No suite service calls procurement; internal clients holding
`procurement:read` read."""

from oms.procurement.v1 import procurement_pb2
from servicekit.access import AccessTable, allow

READ_SCOPE = "procurement:read"
BUYERS = allow("purchasing")
# What carries prices in every field that matters: purchasing and finance only.
PRICE_READERS = allow("purchasing", "finance", scope=READ_SCOPE)
# What the warehouse also reads, its prices stripped.
READERS = allow("purchasing", "finance", "warehouse", scope=READ_SCOPE)

ACCESS = AccessTable(
    procurement_pb2.DESCRIPTOR.services_by_name["ProcurementService"],
    {
        "CreateSupplier": BUYERS,
        "UpdateSupplier": BUYERS,
        "GetSupplier": READERS,
        "ListSuppliers": READERS,
        "CreateRfq": BUYERS,
        "RecordProposal": BUYERS,
        "AwardProposal": BUYERS,
        "GetRfq": PRICE_READERS,
        "ListRfqs": PRICE_READERS,
        "CompareProposals": PRICE_READERS,
        "CreateContract": BUYERS,
        "ListContracts": PRICE_READERS,
        "CreatePurchaseOrder": BUYERS,
        "UpdatePurchaseOrder": BUYERS,
        "SendPurchaseOrder": BUYERS,
        "CancelPurchaseOrder": BUYERS,
        "ReducePurchaseOrderLine": BUYERS,
        "GetPurchaseOrder": READERS,
        "ListPurchaseOrders": READERS,
        "SetReorderRule": BUYERS,
        "ListReorderRules": READERS,
    },
)
