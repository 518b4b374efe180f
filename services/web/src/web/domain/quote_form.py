"""The quote builder's form and the gateway's quote content (the body of PUT /quotes/{id}),
both ways: a quote as answered becomes the content that says the same thing again; the form's
flat fields (`g-0-l-1-quantity`) become content, with the form's own errors found first; and the
paths the gateway names at fault (`groups[0].lines[1].quantity`) lead back to form fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

HEADER = (
    "customer_id",
    "customer_group",
    "salesperson",
    "currency",
    "valid_until",
    "payment_terms",
    "terms_and_conditions",
    "notes",
)
MAX_QUANTITY = 1_000_000
_GROUP = re.compile(r"^g-(\d{1,4})-name$")
_LINE = re.compile(r"^g-(\d{1,4})-l-(\d{1,4})-quantity$")
_SHIP = re.compile(r"^s-(\d{1,4})-amount$")
_PATH = re.compile(
    r"^(?:groups\[(\d+)\](?:\.lines\[(\d+)\])?|shipping\[(\d+)\])?\.?([a-z_]*)(?:[.\[].*)?$"
)


def taxes_text(taxes: list[dict[str, Any]]) -> str:
    """Taxes as the form shows them: "VAT19=0.19; ECO=0.01"."""
    return "; ".join(f"{t['code']}={t['rate']}" for t in taxes)


def parse_taxes(text: str) -> list[dict[str, str]] | None:
    """The form's taxes, or None when they do not read as code=rate pairs."""
    taxes = []
    for part in re.split(r"[;,]", text):
        if not part.strip():
            continue
        code, equals, rate = part.partition("=")
        if not equals or not code.strip() or not rate.strip():
            return None
        taxes.append({"code": code.strip(), "rate": rate.strip()})
    return taxes


def _discount(found: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not found or not (found.get("percent") or found.get("amount")):
        return None
    return {"percent": found.get("percent") or "", "amount": found.get("amount") or ""}


def _quantity(text: str) -> int:
    whole = text.split(".")[0] if re.fullmatch(r"\d+(\.0*)?", text) else "0"
    return int(whole)


def content_of(quote: Mapping[str, Any]) -> dict[str, Any]:
    """The content that says again what `quote` says: its header, and its document's groups,
    lines (a catalog line's price only when it was entered), shipping and policy."""
    content: dict[str, Any] = {k: quote.get(k) or "" for k in HEADER}
    document = quote.get("document") or {}
    currency = quote.get("currency") or ""
    groups = []
    for group in document.get("groups") or []:
        lines = []
        for line in group.get("lines") or []:
            entry: dict[str, Any] = {
                "quantity": _quantity(str(line.get("quantity") or "0")),
                "description": line.get("description") or "",
                "taxes": [dict(t) for t in line.get("taxes") or []],
            }
            if line.get("product_id"):
                entry["product_id"] = line["product_id"]
            elif line.get("sku"):
                entry["sku"] = line["sku"]
            if not (line.get("product_id") or line.get("sku")) or (
                line.get("price_rule") == "entered"
            ):
                entry["unit_price"] = {"amount": line.get("unit_price") or "", "currency": currency}
            if discount := _discount(line.get("discount")):
                entry["discount"] = discount
            lines.append(entry)
        added: dict[str, Any] = {
            "name": group.get("name") or "",
            "taxes": [dict(t) for t in group.get("taxes") or []],
            "lines": lines,
        }
        if discount := _discount(group.get("discount")):
            added["discount"] = discount
        groups.append(added)
    content["groups"] = groups
    content["shipping"] = [
        {"description": s["description"], "amount": s["amount"], "taxes": s.get("taxes") or []}
        for s in document.get("shipping") or []
    ]
    if policy := document.get("policy"):
        content["policy"] = {
            "rounding_mode": policy.get("rounding_mode") or "per_line",
            "rounding": policy.get("rounding") or "half_up",
            "prices_include_tax": bool(policy.get("prices_include_tax")),
        }
    return content


def add_product(content: dict[str, Any], group: int, product_id: str, quantity: int) -> None:
    """A catalog line at the end of group `group` (a new, unnamed group when there is none)."""
    groups = content.setdefault("groups", [])
    if not groups:
        groups.append({"name": "", "taxes": [], "lines": []})
    at = min(max(group, 0), len(groups) - 1)
    groups[at]["lines"].append({"product_id": product_id, "quantity": quantity, "taxes": []})


@dataclass
class FormContent:
    """The content the form says, the form's own errors by field, and where each group, line
    and shipping charge of the content came from in the form (to name the gateway's errors)."""

    content: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    lines: list[list[str]] = field(default_factory=list)
    shipping: list[str] = field(default_factory=list)

    def field_of(self, path: str) -> str:
        """The form field of a path the gateway names; the path itself when it is not one."""
        found = _PATH.match(path)
        if not found:
            return path
        group, line, ship, name = found.groups()
        try:
            if line is not None:
                prefix = self.lines[int(group)][int(line)]
            elif group is not None:
                prefix = self.groups[int(group)]
            elif ship is not None:
                prefix = self.shipping[int(ship)]
            else:
                return name or path
        except IndexError:
            return path
        if name == "discount":
            rest = path[found.end(4) :]
            name = "discount_amount" if rest.startswith(".amount") else "discount_percent"
        return f"{prefix}-{name}"


def _indices(form: Mapping[str, str], pattern: re.Pattern[str]) -> list[tuple[int, ...]]:
    found = [pattern.match(k) for k in form]
    return sorted({tuple(int(i) for i in m.groups()) for m in found if m})


def content_from_form(form: Mapping[str, str]) -> FormContent:
    """The content of the builder's form. A line with no product, SKU or description is an
    empty row and left out, as is a line marked `remove`; a group with no name and no lines too,
    and a shipping charge with no amount."""
    return _FormReader({k: v.strip() for k, v in form.items()}).read()


class _FormReader:
    """One form read into content, with the errors found on the way."""

    def __init__(self, get: dict[str, str]) -> None:
        self.get = get
        self.result = FormContent({k: get.get(k, "") for k in HEADER})
        self.currency = get.get("currency", "")

    def read(self) -> FormContent:
        content = self.result.content
        content["groups"] = [g for (i,) in _indices(self.get, _GROUP) if (g := self.group(i))]
        content["shipping"] = [c for (i,) in _indices(self.get, _SHIP) if (c := self.charge(i))]
        content["policy"] = {
            "rounding_mode": self.get.get("rounding_mode") or "per_line",
            "rounding": self.get.get("rounding") or "half_up",
            "prices_include_tax": self.get.get("prices_include_tax") == "on",
        }
        return self.result

    def taxes_at(self, name: str) -> list[dict[str, str]]:
        taxes = parse_taxes(self.get.get(name, ""))
        if taxes is None:
            self.result.errors[name] = "taxes are code=rate pairs, e.g. VAT19=0.19"
            return []
        return taxes

    def discount_at(self, prefix: str) -> dict[str, str] | None:
        percent = self.get.get(f"{prefix}-discount_percent", "")
        amount = self.get.get(f"{prefix}-discount_amount", "")
        return {"percent": percent, "amount": amount} if percent or amount else None

    def group(self, g: int) -> dict[str, Any] | None:
        prefix = f"g-{g}"
        lines, origins = [], []
        for gi, li in _indices(self.get, _LINE):
            at = f"{prefix}-l-{li}"
            if gi == g and (line := self.line(at)) is not None:
                lines.append(line)
                origins.append(at)
        name = self.get.get(f"{prefix}-name", "")
        if not lines and not name:
            return None
        group: dict[str, Any] = {"name": name, "taxes": self.taxes_at(f"{prefix}-taxes")}
        group["lines"] = lines
        if discount := self.discount_at(prefix):
            group["discount"] = discount
        self.result.groups.append(prefix)
        self.result.lines.append(origins)
        return group

    def line(self, at: str) -> dict[str, Any] | None:
        get, errors = self.get, self.result.errors
        product_id, sku = get.get(f"{at}-product_id", ""), get.get(f"{at}-sku", "")
        description = get.get(f"{at}-description", "")
        if get.get(f"{at}-remove") or not (product_id or sku or description):
            return None
        quantity = get.get(f"{at}-quantity", "")
        if not quantity.isdigit() or not 1 <= int(quantity) <= MAX_QUANTITY:
            errors[f"{at}-quantity"] = f"a whole number from 1 to {MAX_QUANTITY:,}"
        line: dict[str, Any] = {
            "quantity": int(quantity) if quantity.isdigit() else 0,
            "description": description,
            "taxes": self.taxes_at(f"{at}-taxes"),
        }
        if product_id:
            line["product_id"] = product_id
        elif sku:
            line["sku"] = sku
        if price := get.get(f"{at}-unit_price", ""):
            line["unit_price"] = {"amount": price, "currency": self.currency}
        elif not (product_id or sku):
            errors[f"{at}-unit_price"] = "a free-text line needs its unit price"
        if discount := self.discount_at(at):
            line["discount"] = discount
        return line

    def charge(self, s: int) -> dict[str, Any] | None:
        at = f"s-{s}"
        if not self.get.get(f"{at}-amount"):
            return None
        self.result.shipping.append(at)
        return {
            "description": self.get.get(f"{at}-description", "") or "Shipping",
            "amount": self.get[f"{at}-amount"],
            "taxes": self.taxes_at(f"{at}-taxes"),
        }
