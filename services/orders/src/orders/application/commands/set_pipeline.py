"""Replace an order type's pipeline (an admin's); the change log keeps both definitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orders.application.ports import Deps
from orders.domain.pipeline import Pipeline, from_definition, to_definition
from servicekit.errors import InvalidArgument

MAX_ORDER_TYPE = 30


@dataclass(frozen=True)
class SetPipeline:
    order_type: str
    # As orders.domain.pipeline.to_definition writes one.
    definition: Mapping[str, Any]


async def set_pipeline(deps: Deps, command: SetPipeline) -> Pipeline:
    order_type = command.order_type
    if not order_type.strip() or len(order_type) > MAX_ORDER_TYPE:
        raise InvalidArgument.of("order_type", f"1-{MAX_ORDER_TYPE} characters")
    pipeline = from_definition(order_type, command.definition)
    async with deps.unit_of_work() as uow:
        before = to_definition(await uow.pipelines.get(order_type))
        await uow.pipelines.save(pipeline)
        after = to_definition(pipeline)
        await uow.audit.record("pipeline", order_type, "set", before=before, after=after)
    deps.pipelines.forget(order_type)
    return pipeline
