"""The reorder rule of one product in one warehouse, created or replaced."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import REORDER_RULE, rule_change
from procurement.application.ports import Ports
from procurement.domain.reorder import ReorderRule, RuleInput, new_rule
from servicekit.context import current_principal


@dataclass(frozen=True)
class SetReorderRule:
    rule: RuleInput


async def set_reorder_rule(ports: Ports, command: SetReorderRule) -> ReorderRule:
    async with ports.uow() as uow:
        supplier = await uow.suppliers.get(command.rule.supplier_id)
        rule = new_rule(command.rule, supplier, ports.clock.now(), current_principal().subject)
        earlier = await uow.reorder_rules.get(rule.product_id, rule.warehouse_id, for_update=True)
        await uow.reorder_rules.put(rule)
        recorded = rule_change(earlier, rule)
        if recorded is not None:
            before, after = recorded
            await uow.changes.record(
                REORDER_RULE, rule.product_id, "set", before=before, after=after
            )
    return rule
