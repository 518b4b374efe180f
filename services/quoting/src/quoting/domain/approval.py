"""When a quote's discounts need a sales manager's approval, and the approval itself. Plain
Python.

A discount is a percentage and/or a fixed amount (pricing.document.Discount). Its share is what
it takes of what it applies to: a line's of the line's extended price, a group's of what is left
of the group after its lines' own discounts (as the engine takes it), and the whole quote's --
every discount together -- of the quote's subtotal (which catches a line and a group discount
each under the threshold that together are above it; named only when no single discount is).
A quote needs approval when any share is
above the threshold (QUOTING_DISCOUNT_APPROVAL_ABOVE, a percentage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pricing.document import Discount, PricedDocument
from pricing.money import parse_amount

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# A decision's note, as kept.
APPROVAL_NOTE = 2_000
# Discounts named in the reason; the rest are counted.
REASONS_NAMED = 3


class ApprovalStatus(StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


# Approvals that keep a quote from being sent or accepted.
BLOCKING = (ApprovalStatus.PENDING, ApprovalStatus.REJECTED)


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class Approval:
    """Whether the quote's discounts need approval, why, and who decided what."""

    status: ApprovalStatus = ApprovalStatus.NOT_REQUIRED
    reason: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Excess:
    """One discount above the threshold: which (`what`: "line 2", "group 'Hardware'", "the
    quote") and the share of its base it takes, in percent."""

    what: str
    share: Decimal


def share(base: Decimal, discount: Discount | None) -> Decimal:
    """The percentage of `base` the discount takes: its percentage plus its fixed amount as a
    share of `base` (none of an empty base)."""
    if discount is None:
        return ZERO
    percent = parse_amount(discount.percent) if discount.percent else ZERO
    amount = parse_amount(discount.amount) if discount.amount else ZERO
    if base <= 0:
        return percent
    return percent + amount * HUNDRED / base


def taken(base: Decimal, discount: Discount | None) -> Decimal:
    """What the discount takes off `base` (as the engine does, before rounding)."""
    return base * share(base, discount) / HUNDRED if base > 0 else ZERO


def excesses(document: PricedDocument, threshold: Decimal) -> list[Excess]:
    """Every discount of the priced document that takes more than `threshold` percent of what it
    applies to, in document order: each line's and each group's; or, when none of them is, all
    of them together (the whole quote's), if that is."""
    figures = document.figures
    found: list[Excess] = []
    number = 0
    for group in document.groups:
        left = ZERO
        for line in group.lines:
            extended = figures.lines[number].extended
            number += 1
            own = share(extended, line.discount)
            if own > threshold:
                found.append(Excess(f"line {number}", own))
            left += extended - taken(extended, line.discount)
        of_group = share(left, group.discount)
        if of_group > threshold:
            found.append(Excess(f"group '{group.name}'", of_group))
    if not found and figures.subtotal > 0:
        overall = figures.discounts * HUNDRED / figures.subtotal
        if overall > threshold:
            found.append(Excess("the quote", overall))
    return found


def percent_text(value: Decimal) -> str:
    """A share as people read it: "35", "33.33" (two places at most, no trailing zeros)."""
    rounded = value.quantize(Decimal("0.01"))
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def reason(found: list[Excess], threshold: Decimal) -> str:
    """Why approval is needed, e.g. "line 2: 35% off is above the 20% that needs approval";
    the first few discounts named, the others counted. Empty for none."""
    limit = percent_text(threshold)
    named = [f"{x.what}: {percent_text(x.share)}% off" for x in found[:REASONS_NAMED]]
    if not named:
        return ""
    more = len(found) - len(named)
    listed = "; ".join(named) + (f"; and {more} more" if more else "")
    verb = "is" if len(found) == 1 else "are"
    return f"{listed} {verb} above the {limit}% that needs approval"


def assess(document: PricedDocument, threshold: Decimal) -> Approval:
    """The approval a quote of this (new) content starts with: pending, with the reason, when a
    discount is above `threshold`; not required otherwise. A decision is for the content it saw,
    so a changed quote never keeps one."""
    found = excesses(document, threshold)
    if not found:
        return Approval()
    return Approval(ApprovalStatus.PENDING, reason(found, threshold))
