"""What a customer's documents say beyond their figures: each line's taxes and the tax breakdown
per (code, rate), the buyer as billing knew them when the document was issued, and the seller's
legal data. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pricing.money import Money


@dataclass(frozen=True)
class LineTax:
    """One tax on a document line: its code, rate (0.19 = 19 %) and amount."""

    code: str
    rate: Decimal
    amount: Money


@dataclass(frozen=True)
class TaxTotal:
    """One tax at one rate over a document: what it was levied on and how much."""

    code: str
    rate: Decimal
    base: Money
    amount: Money


def tax_totals(lines: Iterable[tuple[Money, Iterable[LineTax]]], currency: str) -> list[TaxTotal]:
    """The breakdown of lines given as (net, taxes): per (code, rate), the nets bearing it and
    the taxes' sum, in code then rate order."""
    base: dict[tuple[str, Decimal], Money] = {}
    amount: dict[tuple[str, Decimal], Money] = {}
    zero = Money.zero(currency)
    for net, taxes in lines:
        for tax in taxes:
            key = (tax.code, tax.rate)
            base[key] = base.get(key, zero) + net
            amount[key] = amount.get(key, zero) + tax.amount
    return [
        TaxTotal(code, rate, base[(code, rate)], amount[(code, rate)])
        for code, rate in sorted(base)
    ]


@dataclass(frozen=True)
class Buyer:
    """The customer as a document names them, kept as it was when the document was issued."""

    name: str = ""
    tax_id: str = ""
    # The billing address, a line each (street, city with postal code, country...).
    address: tuple[str, ...] = ()
    payment_terms: str = ""
    # Why the document bears no tax for them (an exemption), when it is so.
    tax_exemption: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tax_id": self.tax_id,
            "address": list(self.address),
            "payment_terms": self.payment_terms,
            "tax_exemption": self.tax_exemption,
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any] | None) -> Buyer | None:
        if stored is None:
            return None
        return cls(
            str(stored.get("name", "")),
            str(stored.get("tax_id", "")),
            tuple(str(x) for x in stored.get("address", ())),
            str(stored.get("payment_terms", "")),
            str(stored.get("tax_exemption", "")),
        )


@dataclass(frozen=True)
class Seller:
    """The seller's legal data as every invoice and credit note states it (configuration)."""

    name: str = ""
    address: tuple[str, ...] = ()
    tax_id: str = ""
    # Company register and number ("Amtsgericht Berlin HRB 12345").
    registration: str = ""
    # How to pay: bank, IBAN, BIC, the reference to quote.
    payment_instructions: str = ""


def address_lines(address: Mapping[str, str] | None) -> tuple[str, ...]:
    """A postal address as printed: street lines, postal code and city, state, country."""
    if not address:
        return ()
    city = " ".join(x for x in (address.get("postal_code", ""), address.get("city", "")) if x)
    parts = (
        address.get("line1", ""),
        address.get("line2", ""),
        city,
        address.get("state", ""),
        address.get("country", ""),
    )
    return tuple(x for x in parts if x)


def line_taxes_json(taxes: Iterable[LineTax]) -> list[dict[str, str]]:
    return [{"code": t.code, "rate": str(t.rate), "amount": str(t.amount.amount)} for t in taxes]


def line_taxes_from_json(
    stored: Iterable[Mapping[str, str]] | None, currency: str
) -> tuple[LineTax, ...]:
    return tuple(
        LineTax(t["code"], Decimal(t["rate"]), Money(Decimal(t["amount"]), currency))
        for t in stored or ()
    )


def totals_json(totals: Iterable[TaxTotal]) -> list[dict[str, str]]:
    return [
        {
            "code": t.code,
            "rate": str(t.rate),
            "base": str(t.base.amount),
            "amount": str(t.amount.amount),
        }
        for t in totals
    ]


def totals_from_json(
    stored: Iterable[Mapping[str, str]] | None, currency: str
) -> tuple[TaxTotal, ...]:
    return tuple(
        TaxTotal(
            t["code"],
            Decimal(t["rate"]),
            Money(Decimal(t["base"]), currency),
            Money(Decimal(t["amount"]), currency),
        )
        for t in stored or ()
    )
