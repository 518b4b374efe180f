"""A WooCommerce store the connector serves: where it is, how to prove ourselves to it and check
what it sends, and the settings its figures were computed under. Secrets live here in memory only
(never in a repr); the repository encrypts them at rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from servicekit.errors import FieldViolation, InvalidArgument

_STORE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class TaxRounding(StrEnum):
    """WooCommerce > Settings > Tax "Round tax at subtotal level": off rounds per line."""

    PER_LINE = "per_line"
    AT_SUBTOTAL = "at_subtotal"


class CustomerPolicy(StrEnum):
    """Who a store's order is booked to: the customer with the billing e-mail (registered as
    new when unknown), or always one named customer (e.g. "web shop guests")."""

    BY_EMAIL = "by_email"
    DEFAULT_CUSTOMER = "default_customer"


@dataclass(frozen=True)
class Credentials:
    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    webhook_secret: str = field(repr=False)


@dataclass(frozen=True)
class Store:
    store_id: str
    name: str
    base_url: str  # https://shop.example.com (the site's root; /wp-json/wc/v3 is added)
    credentials: Credentials
    prices_include_tax: bool
    tax_rounding: TaxRounding
    warehouses: tuple[str, ...]
    customer_policy: CustomerPolicy
    default_customer_id: str = ""
    # Orders modified up to this instant (UTC) have been pulled; None: never pulled.
    pulled_until: datetime | None = None

    def __post_init__(self) -> None:
        violations = list(_violations(self))
        if violations:
            raise InvalidArgument("the store cannot be kept as given", tuple(violations))

    @property
    def api_root(self) -> str:
        return self.base_url.rstrip("/") + "/wp-json/wc/v3"


def _violations(store: Store) -> list[FieldViolation]:
    found = []
    if not _STORE_ID.match(store.store_id):
        found.append(FieldViolation("store_id", "2 to 40 of a-z, 0-9 and -"))
    if not store.name.strip():
        found.append(FieldViolation("name", "required"))
    url = urlsplit(store.base_url)
    # Basic authentication sends the key in the clear: only over TLS, or to a stand-in on
    # this machine.
    if not (url.scheme == "https" or (url.scheme == "http" and url.hostname in _LOOPBACK)):
        found.append(FieldViolation("base_url", "an https:// URL (http:// only on loopback)"))
    credentials = store.credentials
    for name in ("consumer_key", "consumer_secret", "webhook_secret"):
        if not getattr(credentials, name):
            found.append(FieldViolation(name, "required"))
    if not store.warehouses:
        found.append(FieldViolation("warehouses", "at least one warehouse the store sells from"))
    if store.customer_policy is CustomerPolicy.DEFAULT_CUSTOMER and not store.default_customer_id:
        found.append(
            FieldViolation("default_customer_id", "required by the default_customer policy")
        )
    return found
