"""Limits every service applies to what it is sent, so oversized input is a field error (422 at
the gateway), never a database error. Plain constants: domains import them too."""

from __future__ import annotations

# Our ids are UUIDs; clients' ids and references (SKUs, external order numbers) stay below this.
MAX_ID_LENGTH = 100
# Quantities of one line or one stock movement.
MAX_QUANTITY = 1_000_000
