"""Quoting's copy of a customer account (orders owns the master), so a quote for a known
customer takes its price-list group, currency, payment terms and tax zone without a call to
orders."""

from __future__ import annotations

from dataclasses import dataclass, replace

from quoting.domain.content import QuoteContent


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    customer_group: str
    currency: str
    payment_terms: str
    # The billing address, a line each, as quotes print it.
    address: tuple[str, ...] = ()
    # Which tax rules tax its quotes (catalog's tax zones, e.g. "DE"); empty: none.
    tax_zone: str = ""
    # Why it pays no tax (set by finance in orders); empty: not exempt.
    tax_exemption: str = ""

    def defaults_for(self, content: QuoteContent) -> QuoteContent:
        """`content` with what it leaves empty filled from this account."""
        return replace(
            content,
            customer_group=content.customer_group or self.customer_group,
            payment_terms=content.payment_terms or self.payment_terms,
            currency=content.currency or self.currency,
        )
