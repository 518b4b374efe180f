"""Status pipelines: the stages an order type goes through, who may move it, and what a stage needs.

Plain Python. A pipeline is data (it can be stored and replaced per order type); the milestones
that other services' events drive -- shipped, invoiced, paid, cancelled... -- are fixed names every
pipeline must contain, so a custom pipeline adds stages without breaking the order-to-cash saga.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from servicekit.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    PermissionDenied,
    Violations,
)

REQUEST = "request"
APPROVAL = "approval"
EXECUTION = "execution"
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
INVOICED = "invoiced"
PAID = "paid"
CLOSED = "closed"
CANCELLED = "cancelled"
ARCHIVED = "archived"
MILESTONES = (
    REQUEST,
    APPROVAL,
    EXECUTION,
    PARTIALLY_SHIPPED,
    SHIPPED,
    INVOICED,
    PAID,
    CLOSED,
    CANCELLED,
    ARCHIVED,
)
# An order in these may still change (quantities, address).
CHANGEABLE = (REQUEST, APPROVAL, EXECUTION, PARTIALLY_SHIPPED)
# Only events move an order into these (a shipment, an invoice, a payment).
SYSTEM_ONLY = frozenset({PARTIALLY_SHIPPED, SHIPPED, INVOICED, PAID, CLOSED})
# Fields a stage may require before an order enters it.
REQUIRABLE = frozenset({"contract_number", "payment_terms", "shipping_address", "salesperson"})
SYSTEM = "system"


@dataclass(frozen=True)
class Stage:
    name: str
    # Chance the order becomes revenue from here, for the sales forecast (0..1).
    probability: Decimal = Decimal(0)
    requires: tuple[str, ...] = ()
    # Open stages count towards a customer's exposure and can be cancelled.
    open: bool = True


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    # Who may make the move; empty: only the system (events).
    roles: tuple[str, ...] = ()
    # Made by the system as soon as it is allowed (e.g. approval of a standard order in credit).
    auto: bool = False


@dataclass(frozen=True)
class Pipeline:
    order_type: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    _by_name: dict[str, Stage] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {s.name: s for s in self.stages})

    def stage(self, name: str) -> Stage:
        return self._by_name[name]

    def transition(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if (t.source, t.target) == (source, target)), None)

    def auto_from(self, source: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.auto), None)

    def allowed_from(self, source: str) -> list[str]:
        return [t.target for t in self.transitions if t.source == source]

    def check_move(
        self,
        source: str,
        target: str,
        roles: Sequence[str],
        present: Mapping[str, bool],
        releasing_credit_hold: bool = False,
    ) -> None:
        """Refuses a user's move the pipeline forbids (FAILED_PRECONDITION), a move the user's
        roles do not allow (PERMISSION_DENIED), or a stage whose required fields are missing
        (INVALID_ARGUMENT); changes nothing either way. Finance releasing a credit hold may make
        any move a person may make, whatever roles it names."""
        if target not in self._by_name:
            raise InvalidArgument.of(
                "to_stage", f"no stage {target!r} in the {self.order_type} pipeline"
            )
        move = self.transition(source, target)
        if move is None:
            allowed = ", ".join(self.allowed_from(source)) or "none"
            raise FailedPrecondition(
                f"a {self.order_type} order cannot go from {source} to {target}"
                f" (from {source}: {allowed})",
                (FieldViolation("to_stage", f"not allowed from {source}"),),
            )
        if not move.roles:
            raise _denied(f"only the system moves an order from {source} to {target}")
        permitted = releasing_credit_hold or "admin" in roles or bool(set(move.roles) & set(roles))
        if not permitted:
            raise _denied(f"moving from {source} to {target} needs one of: {', '.join(move.roles)}")
        problems = Violations()
        for name in self.stage(target).requires:
            if not present.get(name):
                problems.add(name, f"required before {target}")
        problems.raise_if_any()


def _denied(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _open_to(target: str, roles: tuple[str, ...]) -> tuple[Transition, ...]:
    return tuple(
        Transition(source, target, roles)
        for source in (REQUEST, APPROVAL, EXECUTION, PARTIALLY_SHIPPED)
    )


def _default(order_type: str, automatic: bool, execution_requires: tuple[str, ...]) -> Pipeline:
    desk = ("order-desk",)
    return Pipeline(
        order_type,
        stages=(
            Stage(REQUEST, Decimal("0.1")),
            Stage(APPROVAL, Decimal("0.5")),
            Stage(EXECUTION, Decimal("0.9"), requires=execution_requires),
            Stage(PARTIALLY_SHIPPED, Decimal("1")),
            Stage(SHIPPED, Decimal("1")),
            Stage(INVOICED, Decimal("1")),
            Stage(PAID, Decimal("1"), open=False),
            Stage(CLOSED, Decimal("1"), open=False),
            Stage(CANCELLED, open=False),
            Stage(ARCHIVED, open=False),
        ),
        transitions=(
            Transition(REQUEST, APPROVAL, ("sales", "order-desk"), auto=automatic),
            Transition(APPROVAL, EXECUTION, desk, auto=automatic),
            Transition(APPROVAL, REQUEST, ("sales", "order-desk")),
            Transition(EXECUTION, PARTIALLY_SHIPPED),
            Transition(EXECUTION, SHIPPED),
            Transition(PARTIALLY_SHIPPED, SHIPPED),
            Transition(SHIPPED, INVOICED),
            Transition(INVOICED, PAID),
            Transition(PAID, CLOSED, auto=True),
            # A payment taken back (billing's InvoiceReopened).
            Transition(PAID, INVOICED),
            Transition(CLOSED, INVOICED),
            *_open_to(CANCELLED, desk),
            Transition(CANCELLED, ARCHIVED, desk),
            Transition(CLOSED, ARCHIVED, desk),
        ),
    )


# Orders that flow straight through when in credit (the web shop, the API).
STANDARD = _default("standard", automatic=True, execution_requires=())
# Negotiated orders: each step is a person's, and execution needs the contract.
CONTRACT = _default(
    "contract", automatic=False, execution_requires=("contract_number", "payment_terms")
)
DEFAULTS = {p.order_type: p for p in (STANDARD, CONTRACT)}


def to_definition(pipeline: Pipeline) -> dict[str, Any]:
    return {
        "stages": [
            {
                "name": s.name,
                "probability": str(s.probability),
                "requires": list(s.requires),
                "open": s.open,
            }
            for s in pipeline.stages
        ],
        "transitions": [
            {"from": t.source, "to": t.target, "roles": list(t.roles), "auto": t.auto}
            for t in pipeline.transitions
        ],
    }


def from_definition(order_type: str, definition: Mapping[str, Any]) -> Pipeline:
    """A pipeline as a client or the database gives it; InvalidArgument names what is wrong."""
    problems = Violations()
    stages: list[Stage] = []
    for i, raw in enumerate(definition.get("stages", [])):
        try:
            probability = Decimal(str(raw.get("probability", "0")))
        except ArithmeticError:
            probability = Decimal(-1)
        if not 0 <= probability <= 1:
            problems.add(f"stages[{i}].probability", "between 0 and 1")
        requires = tuple(raw.get("requires", ()))
        for name in requires:
            if name not in REQUIRABLE:
                problems.add(
                    f"stages[{i}].requires", f"{name!r} is not one of {sorted(REQUIRABLE)}"
                )
        stages.append(
            Stage(str(raw.get("name", "")), probability, requires, bool(raw.get("open", True)))
        )
    names = [s.name for s in stages]
    for missing in [m for m in MILESTONES if m not in names]:
        problems.add("stages", f"must include the milestone {missing!r}")
    if len(set(names)) != len(names):
        problems.add("stages", "stage names must be unique")
    transitions: list[Transition] = []
    for i, raw in enumerate(definition.get("transitions", [])):
        source, target = str(raw.get("from", "")), str(raw.get("to", ""))
        for end, value in (("from", source), ("to", target)):
            if value not in names:
                problems.add(f"transitions[{i}].{end}", f"no stage {value!r}")
        roles = tuple(str(r) for r in raw.get("roles", ()))
        if target in SYSTEM_ONLY and roles:
            problems.add(f"transitions[{i}].roles", f"only events move an order to {target}")
        transitions.append(Transition(source, target, roles, bool(raw.get("auto", False))))
    problems.raise_if_any()
    return Pipeline(order_type, tuple(stages), tuple(transitions))
