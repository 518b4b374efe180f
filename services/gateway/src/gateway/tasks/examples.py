"""Examples of the tasks' bodies, for the OpenAPI document."""

from __future__ import annotations

from gateway.examples import AT, ORDER_ID, page

TASK_ID = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"
TASK_IN = {
    "subject_type": "sales_order",
    "subject_id": ORDER_ID,
    "title": "Call the customer about the delivery date",
    "notes": "They asked for delivery before the 15th",
    "assignee": "sam",
    "due_date": "2026-12-10",
}
# no done_at: FastAPI leaves null out of the document, and an open task was never done
TASK = {
    "id": TASK_ID,
    **TASK_IN,
    "status": "open",
    "overdue": False,
    "created_by": "olga",
    "created_at": AT,
}
TASK_CHANGE_IN = {"status": "done", "notes": "Delivery confirmed for the 12th"}
TASK_PAGE = page(TASK)
