"""/tax-rules: a product tax category x a customer tax zone -> taxes (code, rate), dated. Finance
(and admins) keep them; whoever reads prices reads them. Orders placed directly are taxed by them
(the customer's tax_zone)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.tax_rules.schemas import TaxRule, TaxRuleIn, TaxRuleList
from oms.catalog.v1 import catalog_pb2 as pb

router = APIRouter(prefix="/tax-rules", tags=["catalog"])
routers = (router,)

TAX_KEEPERS = require("finance")
PRICE_READERS = require("sales", "sales-manager", "order-desk", "purchasing", "finance")


@router.post(
    "",
    operation_id="createTaxRule",
    summary="Create a tax rule",
    status_code=201,
    response_model=TaxRule,
    dependencies=[TAX_KEEPERS],
)
async def create_tax_rule(body: TaxRuleIn, request: Request) -> TaxRule:
    """Adds a tax (code and rate) that products of `tax_category` carry for customers in
    `tax_zone` from `valid_from` to `valid_to`; orders placed from then on are taxed by it.
    Answers the rule as stored (no Location: rules are read in listTaxRules). Finance only.
    Its Idempotency-Key goes on to the catalog as the `request_id`."""
    rule = body.to_proto()
    rule.request_id = request_id(request)
    reply = await request.app.state.clients.catalog.CreateTaxRule(rule)
    return TaxRule.model_validate(reply.tax_rule)


@router.get(
    "",
    operation_id="listTaxRules",
    summary="List tax rules",
    response_model=TaxRuleList,
    dependencies=[PRICE_READERS],
)
async def list_tax_rules(
    request: Request,
    tax_zone: Annotated[str, Query(max_length=32, description="only this zone's")] = "",
) -> TaxRuleList:
    """Every tax rule by zone, tax category and code; `tax_zone` narrows to one zone. Not paged:
    the catalog answers them all (a few per zone). Whoever reads prices may read them."""
    reply = await request.app.state.clients.catalog.ListTaxRules(
        pb.ListTaxRulesRequest(tax_zone=tax_zone)
    )
    return TaxRuleList(items=[TaxRule.model_validate(r) for r in reply.tax_rules])
