"""Quote totals for a 1,000-line quote: the pricing engine alone, the wire work around it, and a
whole POST /quotes through the gateway.

    python -m bench.quote_total [--lines 1000] [--repeat 30] [--quotes 15] [--no-service]

The engine figures need nothing running. The service figures start a private stack (PostgreSQL,
Kafka, every service, the gateway) on ports offset by OMS_BENCH_PORT_OFFSET (default 2000),
create the products, and time quotes of catalog lines (each priced through the catalog's price
lists) and of free-text lines (no catalog calls), with the CPU each process spent per quote
(which the load of other jobs on the machine inflates less than it does wall-clock times).
Writes bench/reports/quote_total.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.stack import PrivateStack, private_stack
from bench.stats import machine, percentiles
from oms.types.v1 import pricing_pb2 as pb
from pricing.document import engine_document
from pricing.engine import RoundingMode, RoundingPolicy, price
from pricing.wire import (
    document_from_json,
    document_from_proto,
    document_to_json,
    document_to_proto,
    priced,
    verify,
)

REPORT = Path(__file__).parent / "reports" / "quote_total.md"
TAXES = [pb.TaxRate(code="VAT19", rate="0.19"), pb.TaxRate(code="VAT7", rate="0.07")]


def a_document(lines: int, seed: int = 7) -> pb.PricedDocument:
    """`lines` lines in groups of 50, with line and group discounts, two tax rates, shipping."""
    rng = random.Random(seed)
    groups = []
    for g in range(0, lines, 50):
        group = pb.DocumentGroup(
            name=f"Group {g // 50 + 1}",
            discount=pb.Discount(percent=str(rng.choice([0, 2, 5, 10]))),
            taxes=[TAXES[g // 50 % 2]],
        )
        for i in range(g, min(g + 50, lines)):
            group.lines.append(
                pb.DocumentLine(
                    line_id=f"l{i}",
                    description=f"item {i}",
                    quantity=str(rng.randint(1, 40)),
                    unit_price=f"{rng.randint(1, 99999) / 100:.2f}",
                    discount=pb.Discount(amount=str(rng.choice([0, 0, 0, 1, 5]))),
                )
            )
        groups.append(group)
    shipping = [pb.ShippingCharge(description="Freight", amount="49.00", taxes=TAXES[:1])]
    return pb.PricedDocument(currency="EUR", groups=groups, shipping=shipping)


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def row(name: str, samples: list[float]) -> str:
    p = percentiles(samples)
    return f"| {name} | {len(samples)} | {p['p50']:.2f} | {p['p95']:.2f} | {p['max']:.2f} |"


def engine_rows(lines: int, repeat: int) -> list[str]:
    message = a_document(lines)
    document = engine_document(document_from_proto(message))
    per_document = type(document)(
        document.currency,
        document.groups,
        document.shipping,
        document.prices_include_tax,
        RoundingPolicy(RoundingMode.PER_DOCUMENT),
    )
    inclusive = type(document)(
        document.currency, document.groups, document.shipping, True, document.policy
    )
    done = priced(message)
    plain = document_from_proto(done)
    stored = document_to_json(plain)
    return [
        row("engine: price(), per-line rounding", timed(lambda: price(document), repeat)),
        row("engine: price(), per-document rounding", timed(lambda: price(per_document), repeat)),
        row("engine: price(), tax-inclusive prices", timed(lambda: price(inclusive), repeat)),
        row(
            "wire: proto -> engine document",
            timed(lambda: engine_document(document_from_proto(message)), repeat),
        ),
        row("priced(): read, price, write the breakdown", timed(lambda: priced(message), repeat)),
        row("verify(): the recomputation check", timed(lambda: verify(done), repeat)),
        row("wire: engine document -> proto", timed(lambda: document_to_proto(plain), repeat)),
        # what the services store and read: pricing.wire's, not json_format's on a message
        row("storage: document to JSON", timed(lambda: document_to_json(plain), repeat)),
        row("storage: JSON to document", timed(lambda: document_from_json(stored), repeat)),
    ]


async def service_rows(lines: int, repeat: int) -> tuple[list[str], list[str]]:
    """The latency rows, and the CPU each process spent per quote."""
    async with private_stack() as private, private.api() as api:
        skus = await create_products(api, lines)
        catalog_lines = [{"sku": sku, "quantity": 1 + i % 7} for i, sku in enumerate(skus)]
        free_lines = [
            {
                "description": f"item {i}",
                "quantity": 1 + i % 7,
                "unit_price": {"amount": f"{1 + i % 50}.95", "currency": "EUR"},
            }
            for i in range(lines)
        ]
        rows, cpu_rows = [], []
        for kind, body in (
            ("catalog lines (prices resolved by the catalog)", catalog_lines),
            ("free-text lines (no catalog calls)", free_lines),
        ):
            before = cpu_seconds(private)
            samples = await post_quotes(api, body, repeat)
            spent = cpu_seconds(private)
            rows.append(row(f"POST /quotes, {lines} {kind}", samples))
            ms = [(spent[name] - before[name]) * 1000 / (repeat + 1) for name in CPU_SHOWN]
            cpu_rows.append(f"| {kind} | " + " | ".join(f"{x:.0f}" for x in ms) + " |")
        return rows, cpu_rows


# The processes a quote runs through, whose CPU per quote the report shows.
CPU_SHOWN = ("gateway", "quoting", "catalog")


def cpu_seconds(private: PrivateStack) -> dict[str, float]:
    """User and system CPU each shown process has used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for name in CPU_SHOWN:
        popen = private.stack.processes[name].popen
        assert popen is not None
        stat = Path(f"/proc/{popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[name] = (int(stat[11]) + int(stat[12])) / tick  # utime, stime
    return used


async def create_products(api: httpx.AsyncClient, count: int) -> list[str]:
    print(f"creating {count} products...", flush=True)
    gate = asyncio.Semaphore(16)
    prefix = uuid.uuid4().hex[:6]

    async def create(i: int) -> str:
        sku = f"Q{prefix}-{i:05d}"
        body = {
            "sku": sku,
            "name": f"Part {i}",
            "list_price": {"amount": f"{1 + i % 90}.50", "currency": "EUR"},
        }
        async with gate:
            response = await api.post("/products", json=body)
        response.raise_for_status()
        return sku

    return list(await asyncio.gather(*(create(i) for i in range(count))))


async def post_quotes(
    api: httpx.AsyncClient, lines: list[dict[str, Any]], repeat: int
) -> list[float]:
    groups = [
        {
            "name": f"Group {g // 50 + 1}",
            "discount": {"percent": "5"},
            "taxes": [{"code": "VAT19", "rate": "0.19"}],
            "lines": lines[g : g + 50],
        }
        for g in range(0, len(lines), 50)
    ]
    body = {"customer_id": "C-BENCH", "salesperson": "bench", "currency": "EUR", "groups": groups}
    samples = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        response = await api.post("/quotes", json=body)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if i:  # the first one warms up connections and caches
            samples.append(elapsed)
    return samples


def report(lines: int, engine: list[str], service: tuple[list[str], list[str]], load: str) -> str:
    latency, cpu = service
    cpu_table = [
        "",
        "CPU per quote, by process (ms; warm-up quote included):",
        "",
        "| POST /quotes of | " + " | ".join(CPU_SHOWN) + " |",
        "|---" * (len(CPU_SHOWN) + 1) + "|",
        *cpu,
    ]
    return "\n".join(
        [
            f"# Quote totals for a {lines:,}-line quote",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}. Command: `make bench`"
            f" (`python -m bench.quote_total`). Load average (1 min) {load}: anything over 1"
            " means other jobs shared the cores and every figure is inflated by them.",
            "",
            f"The document: {lines} lines in groups of 50, random quantities and prices, line"
            " discounts on some lines, a discount on each group, two tax rates, taxable shipping.",
            "",
            "| measure (ms) | n | p50 | p95 | max |",
            "|---|---|---|---|---|",
            *engine,
            *latency,
            *(cpu_table if cpu else []),
            "",
            "Catalog lines cost two catalog calls per quote, whatever its size: BatchGetProducts by"
            " SKU and ResolvePrices. The first version asked once per line (a search and a price"
            " each) and took 4.7 s p50 for 1,000 lines on the same machine (2026-11-25).",
            "",
            CHANGES,
        ]
    )


CHANGES = (Path(__file__).parent / "quote_total_changes.md").read_text()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.quote_total")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-service", action="store_true", help="the engine figures only")
    parser.add_argument("--quotes", type=int, default=15, help="POST /quotes of each kind")
    args = parser.parse_args()
    began = os.getloadavg()[0]
    engine = engine_rows(args.lines, args.repeat)
    service: tuple[list[str], list[str]] = (
        ([], []) if args.no_service else asyncio.run(service_rows(args.lines, args.quotes))
    )
    load = f"{began:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    text = report(args.lines, engine, service, load)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    print(text)
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
