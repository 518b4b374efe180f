"""A warehouse: where stock is kept, in an allocation order. Plain Python: no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Warehouse:
    id: str
    # Short unique code, e.g. "MAIN".
    code: str
    name: str
    # Allocation order: lower first, ties by code.
    priority: int = 0
