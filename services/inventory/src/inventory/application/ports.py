"""What inventory needs from outside its database, and the rules it applies with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.errors import Violations
from servicekit.idempotency import ProcessedRequests


class ProductCatalog(Protocol):
    async def unknown(self, product_ids: Sequence[str]) -> list[str]:
        """The ids among `product_ids` that name no product of the catalog."""
        ...


async def require_products(catalog: ProductCatalog, named: Mapping[str, str]) -> None:
    """Stock is kept only for products that exist: InvalidArgument naming each field (field ->
    product id) whose product the catalog does not know. Asked before any transaction opens."""
    unknown = set(await catalog.unknown(sorted(set(named.values()))))
    problems = Violations()
    for field, product_id in named.items():
        if product_id in unknown:
            problems.add(field, f"no product {product_id} in the catalog")
    problems.raise_if_any()


@dataclass(frozen=True)
class ClientRequest:
    """A command as its caller sent it, with the id that makes its retries harmless
    (servicekit.idempotency); an empty `request_id` asks for no such care."""

    request_id: str
    content: Message


class Retries:
    """Claims a command's request id at the start of its transaction and records its result at
    the end, so a retried or concurrent call with the same id has the first call's effect only."""

    def __init__(self, requests: ProcessedRequests) -> None:
        self.requests = requests

    async def claim(
        self, session: AsyncSession, operation: str, request: ClientRequest | None
    ) -> str | None:
        """The first call's result id when this request was done already; None otherwise."""
        if request is None:
            return None
        return await self.requests.claim(session, operation, request.request_id, request.content)

    async def complete(
        self,
        session: AsyncSession,
        operation: str,
        request: ClientRequest | None,
        result_id: str,
    ) -> None:
        if request is not None:
            await self.requests.complete(session, operation, request.request_id, result_id)
