"""What a command must say before it touches stock. Plain Python: no I/O. Every size is bounded
here, so oversized input is a field error (422 at the gateway), never a database error."""

from __future__ import annotations

from collections.abc import Sequence

from servicekit import bounds
from servicekit.errors import InvalidArgument, Violations

# Units of one movement or line, as every service bounds them.
MAX_QUANTITY = bounds.MAX_QUANTITY

# The columns' sizes: product ids, purchase order and receipt ids, reasons, carriers, names.
MAX_PRODUCT_ID = 64
MAX_REFERENCE = 64
MAX_REASON = 500
MAX_CARRIER = 100
MAX_NAME = 200
# Lines of one receipt, expectation or shipment.
MAX_LINES = 1000


def _check_units(problems: Violations, field: str, quantity: int) -> None:
    if not 0 < quantity <= MAX_QUANTITY:
        problems.add(field, f"between 1 and {MAX_QUANTITY}")


def _check_product(problems: Violations, field: str, product_id: str) -> None:
    if not product_id or len(product_id) > MAX_PRODUCT_ID:
        problems.add(field, f"1-{MAX_PRODUCT_ID} characters")


def _check_lines(problems: Violations, lines: Sequence[object], required: bool = True) -> None:
    if required and not lines:
        problems.add("lines", "at least one line")
    if len(lines) > MAX_LINES:
        problems.add("lines", f"at most {MAX_LINES} lines")


def check_warehouse(code: str, name: str, priority: int = 0) -> None:
    problems = Violations()
    if not -1_000_000 <= priority <= 1_000_000:
        problems.add("priority", "between -1000000 and 1000000")
    if not code or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum():
        problems.add("code", "1-32 letters, digits, '-' or '_'")
    if not name.strip() or len(name) > MAX_NAME:
        problems.add("name", f"1-{MAX_NAME} characters")
    problems.raise_if_any()


def check_adjustment(warehouse_id: str, product_id: str, delta: int, reason: str) -> None:
    problems = Violations()
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    _check_product(problems, "product_id", product_id)
    if delta == 0 or abs(delta) > MAX_QUANTITY:
        problems.add("quantity_delta", f"not 0, between -{MAX_QUANTITY} and {MAX_QUANTITY}")
    if not reason.strip() or len(reason) > MAX_REASON:
        problems.add("reason", f"say why the stock changes, in at most {MAX_REASON} characters")
    problems.raise_if_any()


def check_receipt(
    warehouse_id: str, lines: Sequence[tuple[str, int]], purchase_order_id: str, receipt_id: str
) -> None:
    problems = Violations()
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    if len(purchase_order_id) > MAX_REFERENCE:
        problems.add("purchase_order_id", f"at most {MAX_REFERENCE} characters")
    if len(receipt_id) > MAX_REFERENCE:
        problems.add("receipt_id", f"at most {MAX_REFERENCE} characters")
    _check_lines(problems, lines)
    for i, (product_id, quantity) in enumerate(lines[:MAX_LINES]):
        _check_product(problems, f"lines[{i}].product_id", product_id)
        _check_units(problems, f"lines[{i}].quantity", quantity)
    problems.raise_if_any()


def check_expectation(
    purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
) -> None:
    problems = Violations()
    if not purchase_order_id or len(purchase_order_id) > MAX_REFERENCE:
        problems.add("purchase_order_id", f"1-{MAX_REFERENCE} characters")
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    _check_lines(problems, lines, required=False)
    seen: set[str] = set()
    for i, (product_id, quantity) in enumerate(lines[:MAX_LINES]):
        _check_product(problems, f"lines[{i}].product_id", product_id)
        if product_id in seen:
            problems.add(f"lines[{i}].product_id", "named on an earlier line")
        seen.add(product_id)
        _check_units(problems, f"lines[{i}].quantity", quantity)
    problems.raise_if_any()


def check_transfer(source: str, target: str, product_id: str, quantity: int, reason: str) -> None:
    problems = Violations()
    if not source:
        problems.add("from_warehouse_id", "required")
    if not target:
        problems.add("to_warehouse_id", "required")
    elif target == source:
        problems.add("to_warehouse_id", "must differ from from_warehouse_id")
    _check_product(problems, "product_id", product_id)
    _check_units(problems, "quantity", quantity)
    if len(reason) > MAX_REASON:
        problems.add("reason", f"at most {MAX_REASON} characters")
    problems.raise_if_any()


def check_reorder_point(product_id: str, warehouse_id: str, reorder_point: int) -> None:
    problems = Violations()
    _check_product(problems, "product_id", product_id)
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    if not 0 <= reorder_point <= MAX_QUANTITY:
        problems.add("reorder_point", f"between 0 and {MAX_QUANTITY}")
    problems.raise_if_any()


def check_shipment(
    order_id: str,
    warehouse_id: str,
    carrier: str,
    tracking_number: str,
    lines: Sequence[tuple[str, int]],
) -> None:
    problems = Violations()
    for field, value in (
        ("order_id", order_id),
        ("warehouse_id", warehouse_id),
        ("carrier", carrier),
    ):
        if not value.strip():
            problems.add(field, "required")
    for field, value in (("carrier", carrier), ("tracking_number", tracking_number)):
        if len(value) > MAX_CARRIER:
            problems.add(field, f"at most {MAX_CARRIER} characters")
    _check_lines(problems, lines, required=False)
    seen: set[str] = set()
    for i, (line_id, quantity) in enumerate(lines[:MAX_LINES]):
        if not line_id:
            problems.add(f"lines[{i}].line_id", "required")
        elif line_id in seen:
            problems.add(f"lines[{i}].line_id", "named on an earlier line")
        seen.add(line_id)
        _check_units(problems, f"lines[{i}].quantity", quantity)
    problems.raise_if_any()


def check_return(return_id: str, warehouse_id: str) -> None:
    problems = Violations()
    if not return_id:
        problems.add("return_id", "required")
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    problems.raise_if_any()


def check_product_id(product_id: str) -> None:
    if not product_id or len(product_id) > MAX_PRODUCT_ID:
        raise InvalidArgument.of("product_id", f"1-{MAX_PRODUCT_ID} characters")
