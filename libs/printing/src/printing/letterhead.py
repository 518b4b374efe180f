"""Who issues a document, as the top of every page of it names them: the seller's legal name,
address, tax id, company registration and how to pay. Read from each service's configuration
(`<P>SELLER_NAME`, ...); a sample company only in development mode."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    name: str = ""
    address: tuple[str, ...] = ()
    tax_id: str = ""
    # Company register and number ("Amtsgericht Berlin HRB 12345").
    registration: str = ""
    # How to pay: bank, IBAN, BIC, the reference to quote.
    payment_instructions: str = ""

    def lines(self) -> list[str]:
        """The name, then the address on one line, the tax id and the registration."""
        if not self.name:
            return []
        found = [self.name, ", ".join(self.address)]
        if self.tax_id:
            found.append(f"Tax id: {self.tax_id}")
        if self.registration:
            found.append(self.registration)
        return [line for line in found if line]


# What development mode prints when no seller is configured.
DEVELOPMENT = Letterhead(
    "OMS Development GmbH",
    ("Musterstraße 1", "10115 Berlin", "DE"),
    "DE000000000",
    "Amtsgericht Berlin HRB 00000 (development)",
    "Development Bank, IBAN DE00 0000 0000 0000 0000 00, BIC DEVEDEFFXXX\n"
    "Please quote the invoice number.",
)


def configured(
    name: str,
    address: str,
    tax_id: str,
    registration: str,
    payment_instructions: str,
    *,
    development_mode: bool,
) -> Letterhead:
    """The letterhead settings describe ("|" between the lines of the address and of the
    payment instructions); the development sample when no name is set in development mode."""
    if not name and development_mode:
        return DEVELOPMENT
    return Letterhead(
        name,
        tuple(part.strip() for part in address.split("|") if part.strip()),
        tax_id,
        registration,
        "\n".join(part.strip() for part in payment_instructions.split("|") if part.strip()),
    )
