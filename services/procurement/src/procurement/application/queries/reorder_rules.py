"""Reorder rules, a page at a time by warehouse and product."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.ports import Ports, RuleFilter
from procurement.domain.reorder import ReorderRule
from servicekit.paging import keyed_page, page_after, page_limit


@dataclass(frozen=True)
class ListReorderRules:
    """Empty fields do not filter."""

    warehouse_id: str = ""
    product_id: str = ""
    supplier_id: str = ""
    page_size: int = 0
    page_token: str = ""


async def list_reorder_rules(
    ports: Ports, query: ListReorderRules
) -> tuple[list[ReorderRule], str]:
    limit = page_limit(query.page_size)
    key = page_after(query.page_token, 2)
    wanted = RuleFilter(query.warehouse_id, query.product_id, query.supplier_id)
    async with ports.uow() as uow:
        found = await uow.reorder_rules.page(wanted, (key[0], key[1]) if key else None, limit + 1)
    return keyed_page(found, limit, lambda rule: (rule.warehouse_id, rule.product_id))
