"""Who may call each RPC of billing.v1.BillingService (servicekit.access).

Finance moves the money and keeps the exchange rates. Receivables (invoices, payments, credit
notes, balances, AR ageing, revenue) are read by finance, the order desk and sales -- never by the
warehouse or purchasing. Payables (bills, payments sent, AP ageing) carry what suppliers charge,
so only finance and purchasing read them. Internal clients read everything with `billing:read`.
The WooCommerce connector (service `woocommerce`) records the payments its stores collected and
issues the credit notes of their refunds, on its channel's orders only; no other suite service
calls billing: it learns what it needs from events.
"""

from oms.billing.v1 import billing_pb2
from servicekit.access import AccessTable, allow

READ_SCOPE = "billing:read"

FINANCE = allow("finance")
# Finance, and a sales channel's service on its own orders (application/channels.py checks).
CHANNELS_MONEY = allow("finance", services=("woocommerce",))
RECEIVABLES_READERS = allow("finance", "order-desk", "sales", "sales-manager", scope=READ_SCOPE)
PAYABLES_READERS = allow("finance", "purchasing", scope=READ_SCOPE)
RATE_READERS = allow("finance", "order-desk", scope=READ_SCOPE)

ACCESS = AccessTable(
    billing_pb2.DESCRIPTOR.services_by_name["BillingService"],
    {
        "GetInvoice": RECEIVABLES_READERS,
        "ListInvoices": RECEIVABLES_READERS,
        "RecordPayment": FINANCE,
        "ListPayments": RECEIVABLES_READERS,
        "GetPayment": RECEIVABLES_READERS,
        "ListCreditNotes": RECEIVABLES_READERS,
        "GetCreditNote": RECEIVABLES_READERS,
        "GetCustomerBalance": RECEIVABLES_READERS,
        "RecordCustomerPayment": CHANNELS_MONEY,
        "UnallocatePayment": FINANCE,
        "ApplyCustomerCredit": FINANCE,
        "IssueCreditNote": CHANNELS_MONEY,
        "GetArAging": RECEIVABLES_READERS,
        "GetRevenueReport": RECEIVABLES_READERS,
        "RenderInvoice": RECEIVABLES_READERS,
        "RenderCreditNote": RECEIVABLES_READERS,
        "RecordBill": FINANCE,
        "ReleaseBill": FINANCE,
        "GetBill": PAYABLES_READERS,
        "ListBills": PAYABLES_READERS,
        "RecordSupplierPayment": FINANCE,
        "ApplySupplierAdvance": FINANCE,
        "ListSupplierPayments": PAYABLES_READERS,
        "GetApAging": PAYABLES_READERS,
        "SetExchangeRate": FINANCE,
        "ListExchangeRates": RATE_READERS,
        "ImportExchangeRates": FINANCE,
        "ListOverdue": RECEIVABLES_READERS,
        "RunDunning": FINANCE,
        "ListReminders": RECEIVABLES_READERS,
        "RenderReminder": RECEIVABLES_READERS,
    },
)
