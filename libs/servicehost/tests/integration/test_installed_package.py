"""A service starts from its built wheel, as an image runs it: the wheels of the service and its
libraries are built from copies of their folders, installed into a fresh virtualenv, and the
service is started from that virtualenv (outside the repository) against the real PostgreSQL.
It must find the migrations it ships and bring its database to their head.

Offline: our packages come from a local folder of wheels (`--no-index`), and third-party ones
from this environment's site-packages, seen through a folder of links that leaves out every
package of ours (so nothing can be imported from the source tree by accident)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet

from devstack.paths import ROOT, alembic_ini
from devstack.postgres import PostgresCluster
from servicekit.db import alembic_config
from testkit.services import free_port, service_process

# The libraries an image installs (devstack, testkit and the client are tools, not runtime).
LIBRARIES = ("contracts", "servicekit", "messaging", "pricing", "printing", "servicehost")
SERVICES = ("orders", "woocommerce")
OURS = ("oms_", "oms-", "__editable__", "pip", "_distutils_hack", "distutils-precedence.pth")
TOOL_LEFTOVERS = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests")


def run(*command: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build_wheels(work: Path) -> Path:
    """Wheels of the libraries and services, built from copies (no build/ left in the tree)."""
    sources = [ROOT / "libs" / name for name in LIBRARIES]
    sources += [ROOT / "services" / name for name in SERVICES]
    copies = []
    for source in sources:
        copy = work / "src" / source.name
        shutil.copytree(source, copy, ignore=TOOL_LEFTOVERS)
        copies.append(copy)
    wheels = work / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
        "-w", wheels, *copies)  # fmt: skip
    return wheels


def third_party_view(work: Path) -> Path:
    """This environment's third-party packages, without ours (not even their dist-info)."""
    view = work / "third-party"
    view.mkdir()
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    for entry in site.iterdir():
        if not entry.name.startswith(OURS):
            (view / entry.name).symlink_to(entry)
    return view


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv with the services installed from their wheels; yields its python."""
    work = tmp_path_factory.mktemp("installed")
    wheels = build_wheels(work)
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)  # this pip installs into it
    # a .pth in the fresh site-packages: third-party packages resolve, ours only from wheels
    (site_packages(venv) / "third_party.pth").write_text(f"{third_party_view(work)}\n")
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-index",
        "--find-links", wheels, *(f"oms-{name}" for name in SERVICES))  # fmt: skip
    yield python
    shutil.rmtree(work, ignore_errors=True)


async def migrated_revision(pg_cluster: PostgresCluster, database_url: str) -> str | None:
    name = database_url.rsplit("/", 1)[1]
    connection = await asyncpg.connect(pg_cluster.url(name, driver="postgresql"))
    try:
        return await connection.fetchval("SELECT version_num FROM alembic_version")  # type: ignore[no-any-return]
    finally:
        await connection.close()


def head(service: str) -> str | None:
    config = alembic_config(alembic_ini(service), "postgresql+asyncpg://unused/unused")
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.mark.parametrize("service", SERVICES)
def test_the_installed_package_carries_its_migrations(installed: Path, service: str) -> None:
    where = run(
        installed,
        "-c",
        f"import importlib.util as u, servicehost.packaged as p; print(p.alembic_ini({service!r}));"
        " print(u.find_spec('devstack'))",
        cwd=installed.parent,
    ).split()
    assert where[0].startswith(str(installed.parents[1])), "the ini comes from the installed wheel"
    assert where[1] == "None", "nothing of the source tree is importable"


async def test_orders_starts_from_its_installed_package(
    installed: Path, pg_cluster: PostgresCluster, kafka_bootstrap: str
) -> None:
    async with service_process(
        "orders", pg_cluster, kafka_bootstrap, python=str(installed), cwd=str(installed.parent)
    ) as orders:
        # serving gRPC means the start-up migration has run: the server starts after it
        assert await migrated_revision(pg_cluster, orders.database_url) == head("orders")


async def test_woocommerce_starts_from_its_installed_package(
    installed: Path, pg_cluster: PostgresCluster
) -> None:
    database, port = f"woocommerce_{uuid.uuid4().hex[:10]}", free_port()
    await pg_cluster.create_database(database)
    env = {
        "PATH": os.environ["PATH"],
        "WOOCOMMERCE_DATABASE_URL": pg_cluster.url(database),
        "WOOCOMMERCE_HTTP_PORT": str(port),
        "WOOCOMMERCE_SECRETS_KEY": Fernet.generate_key().decode(),
    }
    process = await asyncio.create_subprocess_exec(
        str(installed), "-m", "woocommerce", env=env, cwd=installed.parent
    )
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(120):  # the door opens after the start-up migration
                assert process.returncode is None, "woocommerce exited"
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/health")).is_success:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.5)
            else:
                raise AssertionError("woocommerce never answered /health")
        url = pg_cluster.url(database)
        assert await migrated_revision(pg_cluster, url) == head("woocommerce")
    finally:
        process.terminate()
        await process.wait()
