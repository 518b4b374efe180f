"""Who may call each RPC of quoting.v1.QuotingService (servicekit.access). Salespeople and sales
managers work quotes; the order desk and finance read them; internal clients read with
`quoting:read`; warehouse and purchasing have no business here. Customer requests: salespeople
and sales managers work them, the order desk registers and reads them, finance reads the
lost-demand report. Which quotes and requests each person may see and work is
servicekit.sales_reach's, applied by the use cases."""

from oms.quoting.v1 import quoting_pb2
from servicekit.access import AccessTable, allow

READ = allow("sales", "sales-manager", "order-desk", "finance", scope="quoting:read")
WORK = allow("sales", "sales-manager")
# Discounts above the approval threshold: a sales manager decides (admin passes too).
DECIDE = allow("sales-manager")
TAKE_REQUESTS = allow("sales", "sales-manager", "order-desk")
READ_REQUESTS = allow("sales", "sales-manager", "order-desk", scope="quoting:read")
READ_LOST_DEMAND = allow("sales", "sales-manager", "order-desk", "finance", scope="quoting:read")

ACCESS = AccessTable(
    quoting_pb2.DESCRIPTOR.services_by_name["QuotingService"],
    {
        "CreateQuote": WORK,
        "GetQuote": READ,
        "ListQuotes": READ,
        "UpdateQuote": WORK,
        "SendQuote": WORK,
        "ReviseQuote": WORK,
        "AcceptQuote": WORK,
        "RejectQuote": WORK,
        "SaveTemplate": WORK,
        "ListTemplates": READ,
        "RenderQuote": READ,
        "DecideQuoteDiscount": DECIDE,
        "RegisterRequest": TAKE_REQUESTS,
        "GetRequest": READ_REQUESTS,
        "ListRequests": READ_REQUESTS,
        "MarkRequestLost": WORK,
        "QuoteRequest": WORK,
        "LostDemandReport": READ_LOST_DEMAND,
    },
)
