"""The README's walkthrough (examples/walkthrough.sh) works as pasted, and again: run twice
against the running suite, each run takes an order of its own to an invoice."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from testkit.security import session_security
from tests.e2e.helpers import Api

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "walkthrough.sh"


async def _walk(gateway_url: str) -> dict[str, Any]:
    """The script's summary (its last line); fails with what it printed when it fails."""
    token = session_security().bearer("e2e-walkthrough", "admin")
    environment = {**os.environ, "OMS_GATEWAY_URL": gateway_url, "OMS_TOKEN": token}
    process = await asyncio.create_subprocess_exec(
        "bash",
        str(SCRIPT),
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    said = err.decode()
    print(said)  # what a developer sees (pytest -s)
    assert process.returncode == 0, f"exit {process.returncode}\n{said}\n{out.decode()}"
    # what the README says it shows: the order approved at once, its stock reserved later
    assert "status execution, stock_status pending" in said
    assert "waiting for inventory to reserve the stock" in said, "it says what it awaits"
    summary: dict[str, Any] = json.loads(out.decode().splitlines()[-1])
    return summary


async def test_the_walkthrough_runs_twice_to_an_invoice(gateway_url: str, admin: Api) -> None:
    first = await _walk(gateway_url)
    second = await _walk(gateway_url)  # a second paste collides on nothing
    assert first["order"]["id"] != second["order"]["id"]
    for summary in (first, second):
        order = (await admin.get(f"/sales-orders/{summary['order']['id']}")).json()
        assert order["status"] == "invoiced"
        (invoice,) = summary["invoices"]
        assert invoice["total"] == {"amount": "37.50", "currency": "EUR"}
        assert [s["id"] for s in summary["shipments"]] == [invoice["shipment_id"]]
