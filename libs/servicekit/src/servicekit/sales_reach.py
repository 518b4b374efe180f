"""Which of a sales team's documents (quotes, orders) a person reaches, and in whose name they
are made. Plain Python, the same rule in every service that keeps such documents.

A salesperson reaches the documents they are the salesperson of. A sales manager reaches their
team's (the team of whoever made the document) and their own, or every one when their token
names no team. Anyone else the access table lets in (order desk, finance, warehouse,
purchasing, admin, the suite's services and registered clients) reaches every one.
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.context import Principal
from servicekit.errors import FieldViolation, PermissionDenied

SALES = "sales"
SALES_MANAGER = "sales-manager"
# Who may make someone else a document's salesperson (admin passes `has_any` too).
ASSIGNERS = (SALES_MANAGER, "order-desk")


@dataclass(frozen=True)
class Reach:
    """Every document, or those of one salesperson and (for a manager) of one team."""

    everything: bool = False
    salesperson: str = ""
    team: str = ""

    def covers(self, salesperson: str, team: str) -> bool:
        return (
            self.everything
            or salesperson == self.salesperson
            or (bool(self.team) and team == self.team)
        )


EVERYTHING = Reach(everything=True)


def reach_of(who: Principal) -> Reach:
    if not who.has_only(SALES, SALES_MANAGER):
        return EVERYTHING
    if SALES_MANAGER in who.roles:
        return Reach(not who.team, who.subject, who.team)
    return Reach(salesperson=who.subject)


def check_reach(who: Principal, what: str, salesperson: str, team: str) -> None:
    """PermissionDenied when `what` ("quote Q-1") is beyond the caller's reach."""
    if not reach_of(who).covers(salesperson, team):
        whose = "your team's" if SALES_MANAGER in who.roles else "yours"
        raise PermissionDenied(f"{what} is not {whose}")


def salesperson_for(who: Principal, named: str, current: str = "") -> str:
    """The salesperson a document is for: the caller, unless an assigner names someone (or the
    document already has someone); a salesperson naming another is refused."""
    named = named.strip()
    if who.has_any(*ASSIGNERS):
        return named or current or who.subject
    if named and named != who.subject:
        raise PermissionDenied(
            "a salesperson works in their own name",
            (FieldViolation("salesperson", f"must be you ({who.subject}) or empty"),),
        )
    return current or who.subject
