"""The admin commands: a store is added with its secrets from the environment (never shown),
listed, pulled by hand with its progress, and its orders listed with their state."""

from __future__ import annotations

import pytest

from services.woocommerce.tests.fixtures import COUPON_TAX_EXCLUSIVE, WEBHOOK_SECRET, raw
from services.woocommerce.tests.standin.server import StandIn, serving
from woocommerce import cli

pytestmark = pytest.mark.integration


async def test_add_list_pull_and_show_orders(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WOOCOMMERCE_DATABASE_URL", database_url)
    monkeypatch.setenv("WOOCOMMERCE_DEVELOPMENT_MODE", "true")
    async with serving(StandIn()) as stand_in:
        stand_in.add_order(raw(COUPON_TAX_EXCLUSIVE))
        add = ["add-store", "--id", "shop-us", "--name", "US shop", "--base-url",
               stand_in.base_url, "--tax-rounding", "per_line", "--warehouse", "WH-1"]  # fmt: skip
        with pytest.raises(SystemExit, match="WOO_CONSUMER_KEY"):
            await cli.main(add)
        monkeypatch.setenv("WOO_CONSUMER_KEY", stand_in.consumer_key)
        monkeypatch.setenv("WOO_CONSUMER_SECRET", stand_in.consumer_secret)
        monkeypatch.setenv("WOO_WEBHOOK_SECRET", WEBHOOK_SECRET)
        await cli.main(add)
        await cli.main(["stores"])
        await cli.main(["pull", "--store", "shop-us"])
        await cli.main(["orders", "--store", "shop-us"])
    out = capsys.readouterr().out
    assert "store shop-us added; webhooks go to /webhooks/shop-us" in out
    assert "shop-us\tUS shop" in out
    assert "page 1/1: 1 orders (1 received)" in out  # no catalog configured: the order waits
    assert "727\t#727\tprocessing\treceived" in out
    for secret in (stand_in.consumer_key, stand_in.consumer_secret, WEBHOOK_SECRET):
        assert secret not in out
