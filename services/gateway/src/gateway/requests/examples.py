"""Examples of the bodies of /requests and /reports/lost-demand, for the OpenAPI document, in the
story of gateway.examples: the customer phones asking for 200 widgets; the request is quoted
(the quote of gateway.examples). A unit test validates each against its schema; none has a null
field (FastAPI leaves null out of the document)."""

from __future__ import annotations

from typing import Any

from gateway.examples import AT, CUSTOMER_ID, LATER, QUOTE_ID, money

REQUEST_ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a80"
ESTIMATE = money("1200.00")
CONTACT = {"name": "Ada Buyer", "email": "ada@example.com", "phone": "+49 30 123456"}

REQUEST_IN: dict[str, Any] = {
    "customer_id": CUSTOMER_ID,
    "contact": CONTACT,
    "source": "phone",
    "need": "200 blue widgets before Christmas, delivered to the Berlin store",
    "value_estimate": ESTIMATE,
    "owner": "sam",
}
PROSPECT_IN: dict[str, Any] = {
    "contact": {"name": "Bo Prospect", "email": "bo@example.org", "phone": ""},
    "source": "web",
    "need": "A price for 50 widgets",
    "value_estimate": money("300.00"),
}
REQUEST: dict[str, Any] = REQUEST_IN | {
    "id": REQUEST_ID,
    "number": "REQ-2026-000042",
    "status": "quoted",
    "team": "north",
    "quote_id": QUOTE_ID,
    "lost_reason": "",
    "lost_note": "",
    "created_at": AT,
    "created_by": "olga",
    "closed_at": LATER,
}
LOST_IN = {"reason": "competitor", "note": "ACME delivers before Christmas"}
REPORT_ROW = {
    "period": "2026-11",
    "reason": "price",
    "requests": 3,
    "value": [money("1049.50"), {"amount": "10.00", "currency": "USD"}],
}
REPORT = {
    "rows": [
        REPORT_ROW,
        {"period": "2026-11", "reason": "timing", "requests": 1, "value": [money("70.00")]},
    ],
    "totals": [
        {"reason": "price", "requests": 3, "value": REPORT_ROW["value"]},
        {"reason": "timing", "requests": 1, "value": [money("70.00")]},
    ],
}
