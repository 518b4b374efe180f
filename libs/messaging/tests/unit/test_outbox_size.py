"""An event too large for the broker is refused where it is made, in the transaction that
would have announced it, rather than written to the outbox where it could never be published."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import MetaData

from messaging.outbox import MAX_EVENT_BYTES, EventTooLarge, Outbox, outbox_table
from oms.events.v1 import billing_pb2
from servicekit.db import GatheredRows


class _Session:
    """A transaction's gathered rows (servicekit.db.Transaction.gather)."""

    def __init__(self) -> None:
        self.statements: list[Any] = []

    def gather(self, rows: GatheredRows, columns: list[list[Any]]) -> None:
        self.statements.append(rows.sql)


async def test_an_event_over_the_limit_is_refused_before_any_row_is_written() -> None:
    outbox, session = Outbox(outbox_table(MetaData()), "billing"), _Session()
    large = billing_pb2.InvoicePaid(invoice_id="i-1", order_id="x" * MAX_EVENT_BYTES)
    with pytest.raises(EventTooLarge, match=r"InvoicePaid.v1 event for o-1 would be [\d,]+ bytes"):
        await outbox.add(session, large, key="o-1")  # type: ignore[arg-type]
    assert session.statements == []


async def test_an_event_under_the_limit_is_written() -> None:
    outbox, session = Outbox(outbox_table(MetaData()), "billing"), _Session()
    fits = billing_pb2.InvoicePaid(invoice_id="i-1", order_id="x" * (MAX_EVENT_BYTES // 2))
    await outbox.add(session, fits, key="o-1")  # type: ignore[arg-type]
    (insert,) = session.statements  # the row, and in it the relay's wake-up
    assert "pg_notify" in insert
