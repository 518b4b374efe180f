"""Catalog search latency on 100,000 products.

    python -m bench.catalog_search [--products 100000]

Loads products into a private PostgreSQL (the catalog's real schema, by its migrations), then
times the catalog's own search use case (SQL and mapping; no network hop) for each kind of
filter. Writes bench/reports/catalog_search.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import asyncpg

from bench.stats import percentiles
from catalog.adapters.tables import messaging_tables
from catalog.application.handlers import Catalog
from catalog.bootstrap import SPEC
from catalog.domain.model import Search
from devstack.postgres import PostgresCluster
from messaging.outbox import Outbox
from servicekit.db import Database, migrate

REPORT = Path(__file__).parent / "reports" / "catalog_search.md"
WORDS = [
    f"{a}{b}"
    for a in ("al", "be", "co", "da", "el", "fo", "gu", "ha", "io", "ju")
    for b in (
        "ra",
        "ne",
        "ti",
        "lo",
        "mu",
        "sa",
        "ve",
        "xo",
        "qi",
        "ba",
        "de",
        "fi",
        "go",
        "hu",
        "ki",
        "le",
        "mo",
        "nu",
        "po",
        "ru",
    )
]
COLOURS = ["red", "blue", "green", "black", "white", "grey", "yellow", "orange", "purple", "brown"]
SIZES = ["XS", "S", "M", "L", "XL"]


async def load(url: str, count: int) -> tuple[list[str], list[str]]:
    """Writes 110 categories (10 roots x 10 children) and `count` products; returns the ids."""
    rng = random.Random(7)
    connection = await asyncpg.connect(url)
    roots = [str(uuid.uuid4()) for _ in range(10)]
    children = {root: [str(uuid.uuid4()) for _ in range(10)] for root in roots}
    rows = [(r, f"root {i}", None, f"/{r}/", "bench") for i, r in enumerate(roots)]
    rows += [
        (c, f"child {j}", r, f"/{r}/{c}/", "bench")
        for r in roots
        for j, c in enumerate(children[r])
    ]
    await connection.copy_records_to_table(
        "categories", records=rows, columns=["id", "name", "parent_id", "path", "created_by"]
    )
    leaves = [c for r in roots for c in children[r]]
    now = datetime.now(UTC)
    products = [
        (
            str(uuid.uuid4()),
            f"SKU-{i:07d}",
            " ".join(rng.sample(WORDS, 3)),
            "",
            Decimal(rng.randint(100, 100000)) / 100,
            "EUR",
            True,
            now,
            "bench",
            rng.choice(leaves),
            json.dumps({"colour": rng.choice(COLOURS), "size": rng.choice(SIZES)}),
        )
        for i in range(count)
    ]
    await connection.copy_records_to_table(
        "products",
        records=products,
        columns=[
            "id",
            "sku",
            "name",
            "description",
            "list_price",
            "currency",
            "active",
            "created_at",
            "created_by",
            "category_id",
            "attributes",
        ],
    )
    await connection.execute("ANALYZE")
    await connection.close()
    return roots, leaves


async def run(count: int, repeats: int) -> str:
    folder = Path(tempfile.mkdtemp(prefix="oms-bench-catalog-"))
    postgres = await asyncio.to_thread(PostgresCluster.private, folder / "pgdata", 17432)
    try:
        await postgres.create_database("bench_catalog")
        url = postgres.url("bench_catalog")
        await migrate(SPEC.alembic_ini, url)
        began = time.perf_counter()
        roots, leaves = await load(postgres.url("bench_catalog", driver="postgresql"), count)
        loaded = time.perf_counter() - began
        database = Database(url)
        catalog = Catalog(database, Outbox(messaging_tables.outbox, "catalog"))
        rng = random.Random(11)
        kinds = {
            "one word": lambda: Search(text=rng.choice(WORDS)),
            "two words, last a prefix": lambda: Search(
                text=f"{rng.choice(WORDS)} {rng.choice(WORDS)[:3]}"
            ),
            "category with descendants (~10k products)": lambda: Search(
                category_id=rng.choice(roots)
            ),
            "leaf category (~1k products)": lambda: Search(category_id=rng.choice(leaves)),
            "attribute": lambda: Search(attributes={"colour": rng.choice(COLOURS)}),
            "price range": lambda: Search(min_price=Decimal(100), max_price=Decimal(120)),
            "exact SKU": lambda: Search(sku=f"SKU-{rng.randrange(count):07d}"),
            "words + category + attribute + price": lambda: Search(
                text=rng.choice(WORDS),
                category_id=rng.choice(roots),
                attributes={"size": "M"},
                max_price=Decimal(500),
            ),
        }
        lines = []
        for name, make in kinds.items():
            timings = []
            for _ in range(repeats):
                search = make()
                started = time.perf_counter()
                await catalog.search(search, 50, "")
                timings.append((time.perf_counter() - started) * 1000)
            p = percentiles(timings)
            lines.append(f"| {name} | {p['p50']:.2f} | {p['p95']:.2f} | {p['p99']:.2f} |")
        await database.dispose()
    finally:
        await asyncio.to_thread(postgres.stop)
        shutil.rmtree(folder, ignore_errors=True)
        if postgres.data_dir is not None:
            shutil.rmtree(postgres.data_dir, ignore_errors=True)
    return "\n".join(
        [
            "# Catalog search on 100,000 products",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, PostgreSQL 15,"
            f" {count:,} products in 110 categories (loaded in {loaded:.1f} s). Each figure is the"
            f" catalog's search use case (SQL + mapping, first page of 50), {repeats} runs per row."
            " Command: `python -m bench.catalog_search`.",
            "",
            "| search | p50 ms | p95 ms | p99 ms |",
            "|---|---|---|---|",
            *lines,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_search")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    text = asyncio.run(run(args.products, args.repeats))
    REPORT.write_text(text)
    print(text)
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
