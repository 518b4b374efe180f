"""A client per gRPC service, its RPCs declared once each with their request and response types:
calling one applies the call's deadline (the client's default unless given) and raises the
failure as a `ServiceError` subclass. A declaration that does not match the service's contract
(an unknown RPC, other request or response types) fails when the class is defined."""

from __future__ import annotations

import copy
import re
from collections.abc import AsyncIterator, Callable, Sequence
from types import TracebackType
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar, overload

import grpc
from google.protobuf.descriptor import ServiceDescriptor
from google.protobuf.message import Message

from omsclient.connection import RetryPolicy, TlsFiles, open_channel
from omsclient.errors import translate

DEFAULT_TIMEOUT_SECONDS = 10.0

Req = TypeVar("Req", bound=Message)
Resp = TypeVar("Resp", bound=Message)
In = TypeVar("In")
Out = TypeVar("Out")


class Call(Generic[In, Out]):
    """One RPC of a connected client."""

    def __init__(
        self,
        client: ServiceClient,
        path: str,
        serialize: Callable[[In], bytes],
        parse: Callable[[bytes], Out],
    ) -> None:
        self.client = client
        self.path = path
        self.serialize = serialize
        self.parse = parse

    async def __call__(
        self,
        request: In,
        *,
        timeout: float | None = None,
        metadata: Sequence[tuple[str, str]] = (),
    ) -> Out:
        """The response, or a ServiceError; `timeout` in seconds (the client's default if
        None) bounds the whole call, retries of a read included."""
        method = self.client.channel.unary_unary(self.path)  # bytes in, bytes out
        try:
            raw: bytes = await method(
                self.serialize(request),
                timeout=self.client.timeout if timeout is None else timeout,
                metadata=tuple(metadata),
            )
        except grpc.aio.AioRpcError as error:
            raise translate(error, self.path) from error
        return self.parse(raw)


class Rpc(Generic[Req, Resp]):
    """Declares an RPC on a ServiceClient: `get_sales_order = Rpc(GetSalesOrderRequest,
    GetSalesOrderResponse)` is OrdersService's GetSalesOrder (the attribute's name in CamelCase)."""

    def __init__(self, request: type[Req], response: type[Resp]) -> None:
        self.request = request
        self.response = response
        self.path = ""

    def __set_name__(self, owner: type[ServiceClient], name: str) -> None:
        rpc_name = "".join(part.capitalize() for part in name.split("_"))
        for service in owner.services:
            method = service.methods_by_name.get(rpc_name)
            if method is None:
                continue
            declared = (self.request.DESCRIPTOR.full_name, self.response.DESCRIPTOR.full_name)
            contract = (method.input_type.full_name, method.output_type.full_name)
            if declared != contract:
                raise TypeError(f"{owner.__name__}.{name}: the contract says {contract}")
            self.path = f"/{service.full_name}/{rpc_name}"
            return
        raise TypeError(f"{owner.__name__}.{name}: no RPC {rpc_name} in {owner.services}")

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Rpc[Req, Resp]: ...
    @overload
    def __get__(self, client: ServiceClient, owner: type[Any]) -> Call[Req, Resp]: ...
    def __get__(
        self, client: ServiceClient | None, owner: type[Any]
    ) -> Rpc[Req, Resp] | Call[Req, Resp]:
        if client is None:
            return self
        return Call(client, self.path, _serialize, self.response.FromString)


def _serialize(message: Message) -> bytes:
    return message.SerializeToString()


class ServiceClient:
    """A connection to one service's gRPC address. Use as an async context manager, or call
    `close()` when done:

        async with OrdersClient.connect("orders.oms:20053", TlsFiles.from_env()) as orders:
            reply = await orders.get_sales_order(GetSalesOrderRequest(order_id=...))
    """

    services: ClassVar[tuple[ServiceDescriptor, ...]] = ()

    def __init__(self, channel: grpc.aio.Channel, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.channel = channel
        self.timeout = timeout

    @classmethod
    def connect(
        cls,
        target: str,
        tls: TlsFiles,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
    ) -> Self:
        """A client of the service at `target` ("host:port"), each call bounded by `timeout`
        seconds unless it says otherwise, reads retried under `retry` (RetryPolicy() if None)."""
        return cls(open_channel(target, tls, cls.services, retry), timeout)

    async def close(self) -> None:
        await self.channel.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()


class PagedRequest(Protocol):
    page_token: str


class PagedResponse(Protocol):
    @property
    def next_page_token(self) -> str: ...


P = TypeVar("P", bound=PagedRequest)
R = TypeVar("R", bound=PagedResponse)


async def pages(call: Call[P, R], request: P, *, timeout: float | None = None) -> AsyncIterator[R]:
    """Every page of a list RPC, one response at a time, from `request`'s page on: each next
    request is a copy of `request` with the previous response's `next_page_token`."""
    current = copy.deepcopy(request)
    while True:
        page = await call(current, timeout=timeout)
        yield page
        if not page.next_page_token:
            return
        current = copy.deepcopy(current)
        current.page_token = page.next_page_token


def snake_case(rpc_name: str) -> str:
    """`GetSalesOrder` -> `get_sales_order`: the attribute a client declares an RPC as."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", rpc_name).lower()
