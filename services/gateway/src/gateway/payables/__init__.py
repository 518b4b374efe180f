"""/bills, /payments-sent and /reports/ap-aging: what the suite owes its suppliers."""
