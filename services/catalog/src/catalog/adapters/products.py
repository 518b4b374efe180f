"""Products in PostgreSQL: rows to domain objects and back, and search by every criterion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Numeric,
    ScalarSelect,
    Select,
    String,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, aggregate_order_by, insert

from catalog.adapters.tables import (
    categories,
    kit_components,
    picture_contents,
    product_pictures,
    product_suppliers,
    products,
)
from catalog.domain.pictures import Picture, PictureContent
from catalog.domain.products import KitComponent, ListPrice, Product, ProductId, ProductSupplier
from catalog.domain.search import Search, search_words
from pricing.money import Money
from servicekit.db import Columns, DriverStatement, Transaction


def _product(m: Columns) -> Product:
    """A product from its row, with its child rows as _children reads them."""
    return Product(
        id=ProductId(m["id"]),
        sku=m["sku"],
        name=m["name"],
        description=m["description"],
        list_price=Money(m["list_price"], m["currency"]).trimmed(),
        active=m["active"],
        created_at=m["created_at"],
        created_by=m["created_by"],
        category_id=m["category_id"],
        attributes=m["attributes"],
        kind=m["kind"],
        unit_of_measure=m["unit_of_measure"],
        cost=m["cost"],
        tax_category=m["tax_category"],
        parent_id=m["parent_id"],
        variant_options=m["variant_options"],
        pictures=tuple(
            Picture(p["id"], p["url"], p["alt_text"], p["position"], p["stored"])
            for p in m["_pictures"] or ()
        ),
        suppliers=tuple(
            ProductSupplier(
                s["supplier_id"],
                s["supplier_sku"],
                Decimal(s["cost"]),
                s["currency"],
                s["minimum_order_quantity"],
                s["lead_time_days"],
            )
            for s in m["_suppliers"] or ()
        ),
        components=tuple(
            KitComponent(c["product_id"], c["sku"], c["quantity"]) for c in m["_components"] or ()
        ),
        kit_pricing=m["kit_pricing"],
    )


def _children(table: Table, key: Column[str]) -> ScalarSelect[Any]:
    """A product's rows of `table` as a JSON array in position order; numbers that are money go
    as text, so no float ever holds them. NULL when it has none: most products have no pictures,
    suppliers or components, and decoding 3,000 empty arrays was a tenth of BatchGetProducts'
    CPU for 1,000 SKUs."""
    fields: list[ColumnElement[Any]] = []
    for column in table.columns:
        value = cast(column, Text) if isinstance(column.type, Numeric) else column
        fields += [literal_column(f"'{column.name}'"), value]
    rows = func.json_agg(aggregate_order_by(func.json_build_object(*fields), table.c.position))
    return select(rows).where(key == products.c.id).scalar_subquery()


# Built once: building these subqueries and their cache key for every read was a tenth of a
# search's CPU in the catalog.
_CHILDREN = (
    _children(product_pictures, product_pictures.c.product_id).label("_pictures"),
    _children(product_suppliers, product_suppliers.c.product_id).label("_suppliers"),
    _children(kit_components, kit_components.c.kit_id).label("_components"),
)
# Every column but the name's tsvector: only the database's search reads it.
_COLUMNS = [column for column in products.columns if column.key != "name_search"]


# The ids (`b_ids`) and SKUs (`b_skus`) as array parameters, in statements built once and sent
# on the driver: every order's placement reads its products and their list prices by id, a
# quote's 1,000 lines by SKU, and a statement built per call cost more CPU (its cache key) than
# its round trip, SQLAlchemy's work per row more than the driver's.
IDS = any_(bindparam("b_ids", type_=ARRAY(String)))
_BY_ID = DriverStatement(select(*_COLUMNS, *_CHILDREN).where(products.c.id == IDS))
_BY_ID_OR_SKU = DriverStatement(
    select(*_COLUMNS, *_CHILDREN).where(
        or_(products.c.id == IDS, products.c.sku == any_(bindparam("b_skus", type_=ARRAY(String))))
    )
)
_LIST_PRICES = DriverStatement(
    select(products.c.id, products.c.sku, products.c.list_price, products.c.currency).where(
        products.c.id == IDS
    )
)


def text_query(text: str) -> str:
    """The search's words (domain.search.search_words) as a PostgreSQL tsquery: every word must
    appear; the last may be a prefix ("blu" finds "blue"). Only word characters reach the query,
    so no input can break its syntax."""
    words = search_words(text)
    if not words:
        return ""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


class SqlProductRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, product: Product) -> bool:
        """False when the SKU is taken (nothing is written)."""
        statement = (
            insert(products)
            .values(
                id=product.id,
                sku=product.sku,
                name=product.name,
                description=product.description,
                list_price=product.list_price.amount,
                currency=product.list_price.currency,
                active=product.active,
                created_at=product.created_at,
                created_by=product.created_by,
                category_id=product.category_id,
                attributes=dict(product.attributes),
                kind=product.kind,
                unit_of_measure=product.unit_of_measure,
                cost=product.cost,
                tax_category=product.tax_category,
                parent_id=product.parent_id,
                variant_options=dict(product.variant_options),
                kit_pricing=product.kit_pricing,
            )
            .on_conflict_do_nothing(index_elements=["sku"])
            .returning(products.c.id)
        )
        if (await self.session.execute(statement)).first() is None:
            return False
        for picture in product.pictures:
            await self.add_picture(product.id, picture, None)
        await self.replace_suppliers(product)
        if product.components:
            await self.session.execute(
                kit_components.insert(),
                [
                    {"kit_id": product.id, "position": i, **asdict(c)}
                    for i, c in enumerate(product.components)
                ],
            )
        return True

    async def get_for_update(self, product_id: str) -> Product | None:
        query = select(*_COLUMNS).where(products.c.id == product_id).with_for_update()
        found = await self._load(query)
        return found[0] if found else None

    async def save(self, product: Product) -> None:
        """Writes what a change may touch: name, description, list price, active, cost, category
        and tax category."""
        await self.session.execute(
            products.update()
            .where(products.c.id == product.id)
            .values(
                name=product.name,
                description=product.description,
                list_price=product.list_price.amount,
                active=product.active,
                cost=product.cost,
                category_id=product.category_id,
                tax_category=product.tax_category,
            )
        )

    async def replace_suppliers(self, product: Product) -> None:
        await self.session.execute(
            product_suppliers.delete().where(product_suppliers.c.product_id == product.id)
        )
        if product.suppliers:
            await self.session.execute(
                product_suppliers.insert(),
                [
                    {"product_id": product.id, "position": i, **asdict(s)}
                    for i, s in enumerate(product.suppliers)
                ],
            )

    async def add_picture(
        self, product_id: str, picture: Picture, content: PictureContent | None
    ) -> None:
        await self.session.execute(
            product_pictures.insert().values(product_id=product_id, **asdict(picture))
        )
        if content is not None:
            await self.session.execute(
                picture_contents.insert().values(picture_id=picture.id, **asdict(content))
            )

    async def picture_content(self, product_id: str, picture_id: str) -> PictureContent | None:
        query = (
            select(picture_contents.c.content, picture_contents.c.content_type)
            .join(product_pictures, product_pictures.c.id == picture_contents.c.picture_id)
            .where(product_pictures.c.id == picture_id, product_pictures.c.product_id == product_id)
        )
        row = (await self.session.execute(query)).first()
        return PictureContent(row.content, row.content_type) if row else None

    async def get_many(self, ids: Sequence[str], skus: Sequence[str] = ()) -> list[Product]:
        """The products with these ids or these SKUs."""
        if not skus:
            rows = await _BY_ID.fetch(self.session, {"b_ids": list(ids)})
        else:
            wanted = {"b_ids": list(ids), "b_skus": list(skus)}
            rows = await _BY_ID_OR_SKU.fetch(self.session, wanted)
        return [_product(r) for r in rows]

    async def list_prices(self, ids: Sequence[str]) -> dict[str, ListPrice]:
        """Four columns, no child rows: what ResolvePrices reads of a quote's 1,000 products."""
        rows = await _LIST_PRICES.fetch(self.session, {"b_ids": list(ids)})
        return {
            r["id"]: ListPrice(r["sku"], Money(r["list_price"], r["currency"]).trimmed())
            for r in rows
        }

    async def variants(
        self, parent_id: str, after_sku: str = "", limit: int | None = None
    ) -> list[Product]:
        """The product's variants by SKU: after `after_sku`, at most `limit` (all by default)."""
        query = select(*_COLUMNS).where(products.c.parent_id == parent_id)
        query = query.where(products.c.sku > after_sku).order_by(products.c.sku)
        return await self._load(query.limit(limit))

    async def _load(self, query: Select[Any]) -> list[Product]:
        """The products `query` selects, with their pictures, suppliers and components -- in the
        same round trip, as JSON arrays (or NULL) beside each product row."""
        query = query.add_columns(*_CHILDREN)
        rows = (await self.session.execute(query)).mappings().all()
        return [_product(r) for r in rows]

    async def search(self, search: Search, after_sku: str, limit: int) -> list[Product]:
        """Products matching every criterion, by SKU (see `search_conditions`)."""
        query = select(*_COLUMNS).where(products.c.sku > after_sku, *search_conditions(search))
        return await self._load(query.order_by(products.c.sku).limit(limit))


def search_conditions(search: Search) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a search, shaped so that the planner keeps to cheap plans (the
    same plan whether the statement is planned for its values or generically, as a prepared
    statement soon is):
    - the category's branch is one array of ids (the category and those below it, by path
      prefix), so that one index scan reads the branch -- an IN (subquery) became a nested loop
      that repeated every other index scan once per category of the branch (72 ms of 75 for
      words + category + attribute + price on 100,000 products);
    - with words or a SKU, whose indexes narrow the rows to a few percent or one, attributes
      are compared key by key on those rows: their containment test would read the attributes'
      GIN index, whose entries for a common value (a size, a colour) cover a fifth of the
      table and cost more than the rows they would remove. Alone, or with only a category or
      prices, containment keeps that index. Both tests hold for the same products, attribute
      values being strings."""
    conditions: list[ColumnElement[bool]] = []
    words = text_query(search.text) if search.text else ""
    if words:
        conditions.append(products.c.name_search.op("@@")(func.to_tsquery("simple", words)))
    if search.sku:
        conditions.append(products.c.sku == search.sku)
    if search.category_id:
        conditions.append(products.c.category_id == any_(_branch(search.category_id)))
    if search.attributes and (words or search.sku):
        conditions += [
            products.c.attributes[k] == type_coerce(v, JSONB) for k, v in search.attributes.items()
        ]
    elif search.attributes:
        conditions.append(products.c.attributes.contains(dict(search.attributes)))
    if search.min_price is not None:
        conditions.append(products.c.list_price >= search.min_price)
    if search.max_price is not None:
        conditions.append(products.c.list_price <= search.max_price)
    return conditions


def _branch(category_id: str) -> ColumnElement[Any]:
    """The ids of the category and all below it as one array: descendants' paths start with
    the category's own."""
    path = select(categories.c.path).where(categories.c.id == category_id).scalar_subquery()
    inside = select(categories.c.id).where(categories.c.path.startswith(path, autoescape=False))
    return func.array(inside.scalar_subquery())
