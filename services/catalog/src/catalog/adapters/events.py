"""The catalog's domain events as the oms.events.v1 messages the outbox sends (topic
oms.catalog.product.v1, keyed by the product's id)."""

from __future__ import annotations

from google.protobuf.message import Message

from catalog.domain.events import (
    ProductChanged,
    ProductCreated,
    ProductDiscontinued,
    ProductEvent,
    ProductPriceChanged,
)
from oms.events.v1 import catalog_pb2 as events
from pricing.wire import money_to_proto

# Every message the catalog publishes (servicehost declares their topics).
PUBLISHED: list[type[Message]] = [
    events.ProductCreated,
    events.ProductChanged,
    events.ProductPriceChanged,
    events.ProductDiscontinued,
]


def to_message(event: ProductEvent) -> Message:
    match event:
        case ProductCreated():
            return events.ProductCreated(
                product_id=event.product_id,
                sku=event.sku,
                name=event.name,
                list_price=money_to_proto(event.list_price),
            )
        case ProductChanged():
            return events.ProductChanged(
                product_id=event.product_id,
                sku=event.sku,
                name=event.name,
                description=event.description,
                cost="" if event.cost is None else format(event.cost, "f"),
                category_id=event.category_id,
                tax_category=event.tax_category,
            )
        case ProductPriceChanged():
            return events.ProductPriceChanged(
                product_id=event.product_id,
                sku=event.sku,
                old_price=money_to_proto(event.old_price),
                new_price=money_to_proto(event.new_price),
            )
        case ProductDiscontinued():
            return events.ProductDiscontinued(product_id=event.product_id, sku=event.sku)
