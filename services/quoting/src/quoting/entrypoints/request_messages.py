"""oms.quoting.v1 customer-request messages to commands and queries, and results back."""

from __future__ import annotations

from oms.quoting.v1 import quoting_pb2 as pb
from quoting.adapters.protobuf import money_to_proto
from quoting.application.commands.register_request import RegisterRequest
from quoting.domain.lost_demand import LostDemand
from quoting.domain.request import Contact, CustomerRequest, RequestInput
from servicekit.grpc import timestamp
from servicekit.idempotency import fingerprint


def register_command(request: pb.RegisterRequestRequest) -> RegisterRequest:
    contact = request.contact
    given = RequestInput(
        source=request.source,
        need=request.need,
        value_amount=request.value_estimate.amount,
        value_currency=request.value_estimate.currency,
        customer_id=request.customer_id,
        contact=Contact(contact.name, contact.email, contact.phone),
    )
    return RegisterRequest(given, request.owner, request.request_id, fingerprint(request))


def request_to_proto(request: CustomerRequest) -> pb.CustomerRequest:
    contact = request.contact
    message = pb.CustomerRequest(
        id=request.id,
        number=request.number,
        source=request.source.value,
        customer_id=request.customer_id,
        contact=pb.Contact(name=contact.name, email=contact.email, phone=contact.phone),
        need=request.need,
        value_estimate=money_to_proto(request.value_estimate),
        owner=request.owner,
        team=request.team,
        status=request.status.value,
        quote_id=request.quote_id,
        lost_reason=request.lost_reason.value if request.lost_reason else "",
        lost_note=request.lost_note,
        created_at=timestamp(request.created_at),
        created_by=request.created_by,
    )
    if request.closed_at is not None:
        message.closed_at.CopyFrom(timestamp(request.closed_at))
    return message


def report_to_proto(report: LostDemand) -> pb.LostDemandReportResponse:
    return pb.LostDemandReportResponse(
        rows=[
            pb.LostDemandRow(
                period=row.period,
                reason=row.reason,
                requests=row.requests,
                value=[money_to_proto(m) for m in row.value],
            )
            for row in report.rows
        ],
        totals=[
            pb.LostDemandTotal(
                reason=total.reason,
                requests=total.requests,
                value=[money_to_proto(m) for m in total.value],
            )
            for total in report.totals
        ],
    )
