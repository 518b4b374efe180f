"""/tax-rules: a product tax category x a customer tax zone -> taxes (code, rate), dated. Finance
(and admins) keep them; whoever reads prices reads them. Orders placed directly are taxed by them
(the customer's tax_zone)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway.edge.auth import require
from gateway.tax_rules.schemas import TaxRule, TaxRuleIn, TaxRuleList
from oms.catalog.v1 import catalog_pb2 as pb

router = APIRouter(prefix="/tax-rules", tags=["catalog"])
routers = (router,)

TAX_KEEPERS = require("finance")
PRICE_READERS = require("sales", "sales-manager", "order-desk", "purchasing", "finance")


@router.post("", status_code=201, response_model=TaxRule, dependencies=[TAX_KEEPERS])
async def create_tax_rule(body: TaxRuleIn, request: Request) -> TaxRule:
    reply = await request.app.state.clients.catalog.CreateTaxRule(body.to_proto())
    return TaxRule.model_validate(reply.tax_rule)


@router.get("", response_model=TaxRuleList, dependencies=[PRICE_READERS])
async def list_tax_rules(
    request: Request, tax_zone: Annotated[str, Query(max_length=32)] = ""
) -> TaxRuleList:
    """By zone, tax category and code; `tax_zone` narrows to one zone."""
    reply = await request.app.state.clients.catalog.ListTaxRules(
        pb.ListTaxRulesRequest(tax_zone=tax_zone)
    )
    return TaxRuleList(items=[TaxRule.model_validate(r) for r in reply.tax_rules])
