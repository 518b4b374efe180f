"""An RFQ as the buyer enters it: checked field by field (lines, suppliers, deadline) and
opened to its suppliers at once. Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pricing.money import InvalidMoney, check_currency
from procurement.domain import limits
from procurement.domain.rfqs import Rfq, RfqLine, RfqStatus
from servicekit.errors import Violations

MAX_LINES = 500
MAX_SUPPLIERS = 50


@dataclass(frozen=True)
class RfqLineInput:
    """A line as the buyer enters it."""

    product_id: str
    sku: str = ""
    description: str = ""
    quantity: int = 0
    needed_by: str = ""


@dataclass(frozen=True)
class RfqInput:
    """An RFQ as the buyer enters it (its deadline apart)."""

    title: str
    currency: str
    warehouse_id: str
    supplier_ids: tuple[str, ...]
    lines: tuple[RfqLineInput, ...]
    notes: str = ""


def new_rfq(
    request: RfqInput,
    deadline: datetime | None,
    known_suppliers: Collection[str],
    now: datetime,
    actor: str,
) -> Rfq:
    """The RFQ, or InvalidArgument naming every field at fault. `deadline` is the request's,
    None when it has none; `known_suppliers` the ids among its suppliers that exist."""
    problems = Violations()
    title = request.title.strip()
    limits.text(title, "title", limits.MAX_NAME, problems)
    try:
        check_currency(request.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    warehouse_id = request.warehouse_id.strip()
    limits.text(warehouse_id, "warehouse_id", limits.MAX_CODE, problems, required=True)
    if deadline is None:
        problems.add("deadline", "required")
    elif deadline <= now:
        problems.add("deadline", "must be in the future")
    _check_suppliers(request.supplier_ids, known_suppliers, problems)
    lines = _rfq_lines(request.lines, now.date(), problems)
    limits.text(request.notes, "notes", limits.MAX_NOTES, problems)
    problems.raise_if_any()
    assert deadline is not None
    return Rfq(
        id=str(uuid.uuid4()),
        title=title,
        currency=request.currency,
        warehouse_id=warehouse_id,
        deadline=deadline,
        supplier_ids=tuple(request.supplier_ids),
        lines=lines,
        status=RfqStatus.OPEN,
        notes=request.notes.strip(),
        created_at=now,
        created_by=actor,
        updated_at=now,
    )


def _check_suppliers(
    supplier_ids: Sequence[str], known: Collection[str], problems: Violations
) -> None:
    if not 1 <= len(supplier_ids) <= MAX_SUPPLIERS:
        problems.add("supplier_ids", f"between 1 and {MAX_SUPPLIERS} suppliers")
    seen: set[str] = set()
    for i, supplier_id in enumerate(supplier_ids[:MAX_SUPPLIERS]):
        if supplier_id in seen:
            problems.add(f"supplier_ids[{i}]", f"{supplier_id} is named twice")
        elif supplier_id not in known:
            problems.add(f"supplier_ids[{i}]", f"no supplier {supplier_id}")
        seen.add(supplier_id)


def _rfq_lines(
    lines: Sequence[RfqLineInput], today: date, problems: Violations
) -> tuple[RfqLine, ...]:
    if not 1 <= len(lines) <= MAX_LINES:
        problems.add("lines", f"between 1 and {MAX_LINES} lines")
    found, seen = [], set()
    for i, line in enumerate(lines[:MAX_LINES]):
        at = f"lines[{i}]"
        product_id = line.product_id.strip()
        limits.text(product_id, f"{at}.product_id", limits.MAX_CODE, problems, required=True)
        if product_id and product_id in seen:
            problems.add(f"{at}.product_id", f"{product_id} has a line already")
        seen.add(product_id)
        limits.text(line.sku.strip(), f"{at}.sku", limits.MAX_CODE, problems)
        limits.text(line.description.strip(), f"{at}.description", limits.MAX_DESCRIPTION, problems)
        limits.quantity(line.quantity, f"{at}.quantity", problems)
        if line.needed_by:
            try:
                if date.fromisoformat(line.needed_by) < today:
                    problems.add(f"{at}.needed_by", "must be today or later")
            except ValueError:
                problems.add(f"{at}.needed_by", "an ISO date, YYYY-MM-DD")
        found.append(
            RfqLine(
                str(uuid.uuid4()),
                product_id,
                line.sku.strip(),
                line.description.strip(),
                line.quantity,
                line.needed_by,
            )
        )
    return tuple(found)
