import os
import uuid

import asyncpg
import pytest


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return os.environ.get("OMS_TEST_KAFKA_BOOTSTRAP", "127.0.0.1:29092")


@pytest.fixture
def fresh_database():
    admin = os.environ.get("OMS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:25432/postgres")

    async def make(prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        connection = await asyncpg.connect(admin)
        await connection.execute(f'CREATE DATABASE "{name}"')
        await connection.close()
        return (
            admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + "/" + name
        )

    return make
