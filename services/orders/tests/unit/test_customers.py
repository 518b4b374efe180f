from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orders.domain.customer_input import (
    Address,
    Contact,
    CustomerInput,
    MoneyInput,
    check_input,
    merged,
)
from orders.domain.customers import (
    CreditPosition,
    credit_position,
    finance_changes,
    open_account,
    recorded,
)
from orders.domain.events import CustomerChanged, CustomerRegistered
from pricing.money import Money
from servicekit.errors import InvalidArgument

NOW = datetime(2026, 11, 24, tzinfo=UTC)
GOOD = CustomerInput(
    name="  Acme GmbH ",
    kind="company",
    currency="EUR",
    tax_id="DE123456789",
    email="billing@acme.example",
    customer_group="wholesale",
    payment_terms="30 days net",
    credit_limit=MoneyInput("10000.00", "EUR"),
    contacts=(Contact("Ada Buyer", "ada@acme.example", "+49 30 1234-56", "purchasing"),),
    billing_address=Address("Hauptstr. 1", "Berlin", "de", postal_code="10115"),
    shipping_address=Address("Lager 7", "Potsdam", "DE", line2="Tor 3", state="BB"),
)


def fields_at_fault(entered: CustomerInput) -> list[str]:
    with pytest.raises(InvalidArgument) as error:
        check_input(entered)
    return [v.field for v in error.value.violations]


def test_a_valid_account_is_normalised_and_its_opening_announced() -> None:
    customer, events = open_account("c1", GOOD, NOW, "sam")
    assert events == [CustomerRegistered(customer)]
    d = customer.details
    assert (d.name, d.kind, d.currency, d.customer_group) == (
        "Acme GmbH",
        "company",
        "EUR",
        "wholesale",
    )
    assert d.credit_limit == Money(Decimal("10000.00"), "EUR")
    assert d.billing_address == Address("Hauptstr. 1", "Berlin", "DE", postal_code="10115")
    assert (customer.version, customer.created_by, customer.updated_at) == (1, "sam", NOW)


def test_a_person_without_limit_contacts_or_addresses_is_enough() -> None:
    minimal = CustomerInput(name="Jo Doe", kind="person", currency="CHF")
    d = check_input(minimal)
    assert (d.credit_limit, d.contacts, d.billing_address, d.shipping_address) == (
        None,
        (),
        None,
        None,
    )


def test_every_bad_field_is_named_at_once() -> None:
    bad = CustomerInput(
        name=" ",
        kind="robot",
        currency="XYZ",
        tax_id="T" * 51,
        email="not-an-address",
        customer_group="g" * 101,
        payment_terms="p" * 101,
        credit_limit=MoneyInput("-5", "EUR"),
        contacts=(
            Contact("Ok", "ok@example.com"),
            Contact("", "nope", "call me", "r" * 101),
        ),
        billing_address=Address("", "", "XX", postal_code="1" * 21),
        shipping_address=Address("Street 1", "Town", "", line2="l" * 201, state="s" * 101),
    )
    assert fields_at_fault(bad) == [
        "name",
        "kind",
        "tax_id",
        "email",
        "customer_group",
        "currency",
        "payment_terms",
        "credit_limit.amount",
        "credit_limit.currency",
        "contacts[1].name",
        "contacts[1].email",
        "contacts[1].phone",
        "contacts[1].role",
        "billing_address.line1",
        "billing_address.city",
        "billing_address.postal_code",
        "billing_address.country",
        "shipping_address.line2",
        "shipping_address.country",
        "shipping_address.state",
    ]


@pytest.mark.parametrize(
    ("limit", "field"),
    [
        (MoneyInput("abc", "EUR"), "credit_limit.amount"),
        (MoneyInput("1e3", "EUR"), "credit_limit.amount"),
        (MoneyInput("NaN", "EUR"), "credit_limit.amount"),
        (MoneyInput("1000000000000", "EUR"), "credit_limit.amount"),
        (MoneyInput("100", "USD"), "credit_limit.currency"),
    ],
)
def test_a_credit_limit_is_a_plain_amount_in_the_customers_currency(
    limit: MoneyInput, field: str
) -> None:
    assert fields_at_fault(replace(GOOD, credit_limit=limit)) == [field]


def test_a_zero_credit_limit_is_a_limit() -> None:
    assert check_input(replace(GOOD, credit_limit=MoneyInput("0", "EUR"))).credit_limit == Money(
        Decimal(0), "EUR"
    )


def test_too_many_contacts_are_refused() -> None:
    contacts = tuple(Contact(f"c{i}") for i in range(51))
    assert fields_at_fault(replace(GOOD, contacts=contacts)) == ["contacts"]


def test_a_multi_line_name_is_refused() -> None:
    assert fields_at_fault(replace(GOOD, name="Acme\nGmbH")) == ["name"]


def test_an_update_replaces_everything_counts_the_version_and_is_announced() -> None:
    customer, _ = open_account("c1", GOOD, NOW, "sam")
    later = NOW + timedelta(hours=1)
    changed, events = customer.replaced(
        check_input(CustomerInput(name="Acme AG", kind="company", currency="EUR")), later, "fin"
    )
    assert events == [CustomerChanged(changed, before=customer.details)]
    assert (changed.details.name, changed.details.credit_limit, changed.details.contacts) == (
        "Acme AG",
        None,
        (),
    )
    assert (changed.version, changed.created_by, changed.updated_by) == (2, "sam", "fin")
    assert (changed.created_at, changed.updated_at) == (NOW, later)


def test_the_credit_position_keeps_the_balance_owed_in_every_currency() -> None:
    balances = {"USD": Decimal("99"), "EUR": Decimal("250.500000"), "CHF": Decimal(0)}
    assert credit_position("EUR", Decimal("1000.000000"), balances) == CreditPosition(
        Money(Decimal("1000.00"), "EUR"),
        (Money(Decimal("250.50"), "EUR"), Money(Decimal("99.00"), "USD")),
    )
    assert credit_position("GBP", None, {}) == CreditPosition(None, ())


def test_an_update_keeps_what_it_does_not_name_and_clears_what_it_names_empty() -> None:
    current = check_input(GOOD)
    given = CustomerInput(name="Acme AG", kind="", currency="", email="new@acme.example")
    kept = check_input(merged(current, given, ["name", "email"]))
    assert (kept.name, kept.email) == ("Acme AG", "new@acme.example")
    assert (kept.credit_limit, kept.payment_terms, kept.contacts) == (
        current.credit_limit,
        current.payment_terms,
        current.contacts,
    )
    cleared = check_input(merged(current, given, ["credit_limit", "shipping_address"]))
    assert (cleared.credit_limit, cleared.shipping_address, cleared.name) == (
        None,
        None,
        "Acme GmbH",
    )
    assert check_input(merged(current, given, [])) == current


def test_credit_limits_and_payment_terms_are_what_finance_alone_changes() -> None:
    current = check_input(GOOD)
    assert finance_changes(current, replace(current, name="Acme AG", email="")) == []
    assert finance_changes(current, replace(current, credit_limit=None)) == ["credit_limit"]
    assert finance_changes(current, replace(current, payment_terms="90 days")) == ["payment_terms"]
    # a new account: a limit is finance's to grant; the terms it opens with are the seller's
    assert finance_changes(None, current) == ["credit_limit"]
    assert finance_changes(None, replace(current, credit_limit=None)) == []


def test_a_channel_registers_a_guest_buyer() -> None:
    guest = check_input(CustomerInput(name="Jo Shopper", kind="guest", currency="EUR"))
    assert guest.kind == "guest"


def test_the_change_log_keeps_money_as_text_and_addresses_as_objects() -> None:
    kept = recorded(check_input(GOOD))
    assert kept["credit_limit"] == "10000.00 EUR"
    assert kept["billing_address"]["city"] == "Berlin"
    assert kept["contacts"][0]["name"] == "Ada Buyer"
