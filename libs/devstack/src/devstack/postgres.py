"""PostgreSQL for the local stack: a private cluster from the distribution's packages in a data
folder of the project's, on its own port, or the server named by DATABASE_URL.

PostgreSQL refuses to run as root. When we are root, the cluster runs as the `postgres` user,
which must be able to reach the data folder: a project checked out under a private folder (say a
0700 temporary directory) is out of its reach, so the data then lives under /var/tmp instead,
in a folder named after the project's path.
"""

from __future__ import annotations

import asyncio
import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} not found: run `make setup`")
    return found[-1]


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _reachable_by_postgres(folder: Path) -> bool:
    if os.geteuid() != 0:
        return True
    result = subprocess.run([*_as_postgres(), "test", "-x", str(folder)], check=False)
    return result.returncode == 0


def place_data(preferred: Path) -> Path:
    """`preferred` when the server's user can reach it, else a folder of our own under /var/tmp."""
    preferred.parent.mkdir(parents=True, exist_ok=True)
    if _reachable_by_postgres(preferred.parent):
        return preferred
    # One folder per preferred path: the same place for the same cluster on every start, and a
    # different one for each concurrent test session or benchmark (each has its own temp path).
    tag = hashlib.sha256(str(preferred.resolve()).encode()).hexdigest()[:10]
    return Path("/var/tmp") / f"oms-{tag}" / preferred.name


class PostgresCluster:
    """A running server and how to reach it; `create_database` is idempotent."""

    def __init__(self, admin_url: str, data_dir: Path | None = None) -> None:
        self.admin_url = admin_url  # postgresql://user@host:port/postgres
        self.data_dir = data_dir

    @classmethod
    def external(cls, url: str) -> PostgresCluster:
        return cls(url.replace("postgresql+asyncpg://", "postgresql://", 1))

    @classmethod
    def private(cls, data_dir: Path, port: int) -> PostgresCluster:
        data_dir = place_data(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for folder in (data_dir.parent, data_dir):
                os.chown(folder, user.pw_uid, user.pw_gid)
            data_dir.chmod(0o700)
        if not (data_dir / "PG_VERSION").exists():
            subprocess.run(
                [*_as_postgres(), _bin("initdb"), "-D", str(data_dir), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--no-instructions"],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        cluster = cls(f"postgresql://postgres@127.0.0.1:{port}/postgres", data_dir)
        cluster._start(port)
        return cluster

    def _start(self, port: int) -> None:
        assert self.data_dir is not None
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{self.data_dir}'"
            " -c max_connections=300 -c shared_buffers=128MB"
        )
        self.stop()  # a server left running by a killed session
        subprocess.run(
            [*_as_postgres(), _bin("pg_ctl"), "-D", str(self.data_dir), "-o", options,
             "-l", str(self.data_dir / "server.log"), "-w", "-t", "60", "start"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def restart(self, down_seconds: float = 0.0) -> None:
        """A fast shutdown (every session cut, as a failover or a crash would), `down_seconds`
        with no server, and a start on the same port: for reliability tests."""
        if self.data_dir is None:
            raise RuntimeError("only a private cluster can be restarted")
        port = urlsplit(self.admin_url).port
        assert port is not None
        self.stop()
        time.sleep(down_seconds)
        self._start(port)

    def stop(self) -> None:
        if self.data_dir is not None and (self.data_dir / "postmaster.pid").exists():
            subprocess.run(
                [*_as_postgres(), _bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast",
                 "-w", "stop"],
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        base = self.admin_url.rsplit("/", 1)[0].split("://", 1)[1]
        return f"{driver}://{base}/{database}"

    async def create_database(self, name: str) -> None:
        connection = await asyncpg.connect(self.admin_url)
        try:
            exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    async def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                await (await asyncpg.connect(self.admin_url)).close()
                return
            except (OSError, asyncpg.PostgresError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
