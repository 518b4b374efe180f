"""Kinds, variants, kits, suppliers and pictures: what a product may be made of."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.domain.pictures import MAX_PICTURE_BYTES, PictureContent
from catalog.domain.product_changes import add_picture, create_product, set_suppliers
from catalog.domain.products import NewProduct, NewSupplier, Product, Related
from servicekit.errors import InvalidArgument

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
WEBP = b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 8
SUPPLIER = NewSupplier("S-1", "ACME-9", "4.20", "EUR", 10, 3)


def new(sku: str = "SKU-1", **fields: object) -> NewProduct:
    return NewProduct(sku, "Widget", "", "12.50", "EUR", **fields)  # type: ignore[arg-type]


def made(request: NewProduct, related: Related | None = None) -> Product:
    return create_product(request, datetime.now(UTC), "pat", related)[0]


def violations(request: NewProduct, related: Related | None = None) -> list[str]:
    with pytest.raises(InvalidArgument) as error:
        made(request, related)
    return [v.field for v in error.value.violations]


def test_a_product_without_the_new_fields_gets_their_defaults() -> None:
    product = made(new())
    assert (product.kind, product.unit_of_measure, product.tax_category) == (
        "stocked",
        "pc",
        "standard",
    )
    assert (product.cost, product.parent_id, product.kit_pricing) == (None, None, "")


def test_kind_tax_category_unit_and_cost_are_checked() -> None:
    assert violations(
        new(kind="bundle", tax_category="zero", unit_of_measure="x" * 17, cost="-1")
    ) == ["kind", "unit_of_measure", "cost", "tax_category"]
    assert violations(new(cost="abc")) == ["cost"]
    product = made(new(kind="service", unit_of_measure="h", cost="0", tax_category="reduced"))
    assert (product.kind, product.unit_of_measure, product.cost) == ("service", "h", Decimal(0))


def test_a_variant_needs_a_known_parent_that_is_no_variant_and_options_of_its_own() -> None:
    parent = made(new("SHIRT"))
    small = made(
        new("SHIRT-S", parent_id=parent.id, variant_options={"size": "S"}), Related(parent)
    )
    assert (small.parent_id, small.variant_options) == (parent.id, {"size": "S"})

    assert violations(new("X", parent_id="nope", variant_options={"size": "M"})) == ["parent_id"]
    assert violations(new("X", parent_id=parent.id), Related(parent)) == ["variant_options"]
    assert violations(
        new("X", parent_id=small.id, variant_options={"size": "M"}), Related(small)
    ) == ["parent_id"]
    assert violations(
        new("X", parent_id=parent.id, variant_options={"size": "S"}), Related(parent, [small])
    ) == ["variant_options"]
    assert violations(new("X", variant_options={"size": "S"})) == ["variant_options"]


def test_a_kit_and_only_a_kit_is_made_of_known_products_that_are_no_kits() -> None:
    bolt, nut = made(new("BOLT")), made(new("NUT"))
    known = Related(components={bolt.id: bolt, nut.id: nut})
    kit = made(new("SET", kind="kit", components=[(bolt.id, 4), (nut.id, 4)]), known)
    assert [(c.sku, c.quantity) for c in kit.components] == [("BOLT", 4), ("NUT", 4)]
    assert kit.kit_pricing == "kit"

    assert violations(new("X", kind="kit")) == ["components"]
    assert violations(new("X", kind="kit", components=[("nope", 1)])) == [
        "components[0].product_id"
    ]
    assert violations(
        new("X", kind="kit", kit_pricing="bundle", components=[(bolt.id, 0), (bolt.id, 1)]),
        known,
    ) == ["kit_pricing", "components[0].quantity", "components[1].product_id"]
    assert violations(
        new("X", kind="kit", components=[(kit.id, 1)]), Related(components={kit.id: kit})
    ) == ["components[0].product_id"]
    assert violations(new("X", components=[(bolt.id, 1)], kit_pricing="kit"), known) == [
        "components",
        "kit_pricing",
    ]
    priced = made(
        new("SET-2", kind="kit", kit_pricing="components", components=[(bolt.id, 1)]), known
    )
    assert priced.kit_pricing == "components"


def test_suppliers_are_checked_field_by_field() -> None:
    product = made(new(suppliers=[SUPPLIER]))
    assert product.suppliers[0].cost == Decimal("4.20")
    bad = NewSupplier("", "x" * 65, "-1", "EURO", 0, -1)
    assert violations(new(suppliers=[bad])) == [
        "suppliers[0].supplier_id",
        "suppliers[0].supplier_sku",
        "suppliers[0].cost",
        "suppliers[0].currency",
        "suppliers[0].minimum_order_quantity",
        "suppliers[0].lead_time_days",
    ]
    with pytest.raises(InvalidArgument) as twice:
        set_suppliers(product, [SUPPLIER, SUPPLIER])
    assert [v.field for v in twice.value.violations] == ["suppliers[1].supplier_id"]
    assert set_suppliers(product, []).suppliers == ()


def test_linked_pictures_need_an_http_url() -> None:
    product = made(new(pictures=[("https://img.example/1.png", "front")]))
    assert [(p.position, p.stored) for p in product.pictures] == [(0, False)]
    assert violations(new(pictures=[("ftp://x/1.png", ""), ("javascript:alert(1)", "")])) == [
        "pictures[0].url",
        "pictures[1].url",
    ]


def test_a_stored_picture_is_checked_and_served_under_the_products_path() -> None:
    product = made(new())
    changed, picture, stored = add_picture(product, "", PNG, "image/png", "front")
    assert picture.url == f"/products/{product.id}/pictures/{picture.id}"
    assert (picture.position, picture.stored, changed.pictures) == (0, True, (picture,))
    assert stored == PictureContent(PNG, "image/png")
    _, second, nothing = add_picture(changed, "http://img.example/2.jpg", b"", "", "")
    assert (second.position, second.stored, nothing) == (1, False, None)
    assert add_picture(product, "", WEBP, "image/webp", "")[1].stored


@pytest.mark.parametrize(
    ("url", "content", "content_type", "field"),
    [
        ("", b"", "", "url"),
        ("http://img.example/1.png", PNG, "image/png", "url"),
        ("mailto:pat@example.com", b"", "", "url"),
        ("", PNG, "image/svg+xml", "content_type"),
        ("", PNG, "image/jpeg", "content"),
        ("", PNG + b"\0" * MAX_PICTURE_BYTES, "image/png", "content"),
    ],
)
def test_a_picture_is_either_a_link_or_a_small_image(
    url: str, content: bytes, content_type: str, field: str
) -> None:
    with pytest.raises(InvalidArgument) as error:
        add_picture(made(new()), url, content, content_type, "")
    assert [v.field for v in error.value.violations] == [field]


def test_a_product_holds_at_most_twenty_pictures() -> None:
    full = made(new(pictures=[("http://img.example/a.png", "")] * 20))
    with pytest.raises(InvalidArgument) as error:
        add_picture(full, "http://img.example/b.png", b"", "", "")
    assert [v.field for v in error.value.violations] == ["pictures"]
    assert violations(new(pictures=[("http://img.example/a.png", "")] * 21)) == ["pictures"]
