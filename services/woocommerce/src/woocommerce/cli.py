"""The connector's admin commands, run next to the service with its settings:

    WOO_CONSUMER_KEY=ck_... WOO_CONSUMER_SECRET=cs_... WOO_WEBHOOK_SECRET=... \\
      python -m woocommerce.cli add-store --id shop-eu --name "EU shop" \\
        --base-url https://shop.example.eu --prices-include-tax --tax-rounding per_line \\
        --warehouse WH-1 --customer-policy by_email
    python -m woocommerce.cli stores
    python -m woocommerce.cli orders --store shop-eu [--state parked]
    python -m woocommerce.cli retry --store shop-eu --order 727   # or --parked: every one
    python -m woocommerce.cli pull --store shop-eu      # by hand, with its progress

Secrets come from the environment, never the command line (which `ps` shows), and are never
printed."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from servicekit.errors import ServiceError
from woocommerce.application.commands.add_store import add_store
from woocommerce.application.commands.process_deliveries import (
    finish_waiting_orders,
    process_deliveries,
)
from woocommerce.application.commands.pull_orders import PullReport, pull_orders
from woocommerce.application.commands.retry_orders import retry_order, retry_parked
from woocommerce.application.queries.store_orders import store_orders, stores
from woocommerce.bootstrap import Connector, connector
from woocommerce.config import Settings
from woocommerce.domain.connector_orders import OrderState
from woocommerce.domain.stores import Credentials, CustomerPolicy, Store, TaxRounding

SECRET_VARIABLES = ("WOO_CONSUMER_KEY", "WOO_CONSUMER_SECRET", "WOO_WEBHOOK_SECRET")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m woocommerce.cli")
    verbs = top.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add-store", help="register a store (secrets from WOO_* variables)")
    add.add_argument("--id", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--base-url", required=True)
    add.add_argument("--prices-include-tax", action="store_true")
    add.add_argument("--tax-rounding", choices=[r.value for r in TaxRounding], required=True)
    add.add_argument("--warehouse", action="append", default=[], required=True)
    add.add_argument("--customer-policy", choices=[p.value for p in CustomerPolicy])
    add.add_argument("--default-customer-id", default="")
    verbs.add_parser("stores", help="the stores, without their secrets")
    orders = verbs.add_parser("orders", help="a store's orders, their state and why")
    orders.add_argument("--store", required=True)
    orders.add_argument("--state", choices=[s.value for s in OrderState])
    retry = verbs.add_parser("retry", help="take up a parked order, or a refused sync, again")
    retry.add_argument("--store", required=True)
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("--order", type=int, help="the WooCommerce order id")
    which.add_argument("--parked", action="store_true", help="every parked order of the store")
    verbs.add_parser("pull", help="pull by hand").add_argument("--store", required=True)
    verbs.add_parser("process", help="process the deliveries waiting now")
    return top


def store_of(args: argparse.Namespace) -> Store:
    missing = [name for name in SECRET_VARIABLES if not os.environ.get(name)]
    if missing:
        raise SystemExit(f"set {', '.join(missing)} (secrets are not taken as arguments)")
    return Store(
        store_id=args.id,
        name=args.name,
        base_url=args.base_url,
        credentials=Credentials(*(os.environ[name] for name in SECRET_VARIABLES)),
        prices_include_tax=args.prices_include_tax,
        tax_rounding=TaxRounding(args.tax_rounding),
        warehouses=tuple(args.warehouse),
        customer_policy=CustomerPolicy(args.customer_policy or CustomerPolicy.BY_EMAIL),
        default_customer_id=args.default_customer_id,
    )


def show_progress(report: PullReport, total_pages: int) -> None:
    counts = ", ".join(f"{n} {what}" for what, n in sorted(report.outcomes.items()))
    print(f"page {report.pages}/{total_pages}: {report.orders} orders ({counts})", flush=True)


async def run(args: argparse.Namespace, parts: Connector) -> None:
    if args.verb == "add-store":
        await add_store(parts.units, store_of(args))
        print(f"store {args.id} added; webhooks go to /webhooks/{args.id}")
    elif args.verb == "stores":
        for store in await stores(parts.units):
            print(
                f"{store.store_id}\t{store.name}\t{store.base_url}\t"
                f"prices include tax: {store.prices_include_tax}\t{store.tax_rounding}\t"
                f"warehouses: {','.join(store.warehouses)}\tpulled until: {store.pulled_until}"
            )
    elif args.verb == "orders":
        for order in await store_orders(parts.units, args.store):
            if args.state and order.state != args.state:
                continue
            why = "; ".join(x for x in (order.reason, *order.differences, order.sync_note) if x)
            print(
                f"{order.woo_order_id}\t#{order.number}\t{order.woo_status}\t{order.state}\t"
                f"{order.sales_order_id or '-'}\t{why}"
            )
    elif args.verb == "retry":
        await _retry(args, parts)
    elif args.verb == "pull":
        await pull_orders(parts.units, parts.api, parts.catalog, args.store, show_progress)
    elif args.verb == "process":
        done = await process_deliveries(parts.units, parts.api, parts.catalog)
        finished = await finish_waiting_orders(parts.units, parts.catalog)
        print(f"{done} deliveries processed, {finished} waiting orders looked at")


async def _retry(args: argparse.Namespace, parts: Connector) -> None:
    if args.order is not None:
        print(
            f"order {args.order}: {(await retry_order(parts.units, args.store, args.order)).said}"
        )
        return
    async with parts.units() as uow:
        taken = await retry_parked(uow.orders, None, args.store)
    print(f"{taken} parked orders taken up again; the worker maps them on its next round")


async def main(argv: Sequence[str]) -> None:
    args = parser().parse_args(argv)
    async with connector(Settings()) as parts:  # required fields come from the environment
        await run(args, parts)


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1:]))
    except ServiceError as error:
        sys.exit(f"{error.message} {[f'{v.field}: {v.description}' for v in error.violations]}")
