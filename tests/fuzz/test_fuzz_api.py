"""Schemathesis against the gateway's live OpenAPI document (issue 14): every operation with
generated valid and invalid requests, then sequences along the links schemathesis infers from the
document (a POST's id into the GET, PUT or POST that takes it). No answer may be a 5xx, none may
contradict the document, and invalid input must be refused (4xx problem+json).

Bounded and reproducible for CI: few examples an operation, derandomized, paced under the
gateway's per-caller rate limit."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import APIOperation, Case, CheckFunction, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.errors import FailureGroup
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from testkit.services import signed_in

Operation = APIOperation[Any, Any, Any, Any]
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
# The gateway admits 50 requests a second per caller (gateway.edge.limits); staying under it
# keeps the run about the API: a 429 is documented, so it would pass and test nothing.
PACE = "40/s"
# Slow examples are the network's doing on a shared CI machine, not a finding.
QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
# No shrinking: a finding is reported as found, and the run stays within its time.
FOUND_AS_IS = [Phase.explicit, Phase.generate]
PER_OPERATION = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=QUIET,
    phases=FOUND_AS_IS,
    report_multiple_bugs=False,
)
# An example is one request; the parameters it leaves out are generated, so a second varies them.
EXAMPLES = settings(PER_OPERATION, max_examples=2)
SEQUENCES = settings(
    max_examples=60,
    stateful_step_count=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=QUIET,
    phases=FOUND_AS_IS,
)
# Who calls: an admin may do everything, so every route is reached behind its role check; a
# salesperson sees only the customers and orders they reach, a path of its own in the services.
RUNS = [
    ("admin", GenerationMode.POSITIVE),
    ("admin", GenerationMode.NEGATIVE),
    ("sales", GenerationMode.POSITIVE),
]


@pytest.fixture(scope="module")
def gateway_schema(gateway_url: str) -> BaseSchema:
    """The document the running gateway serves; sequences call it as an admin."""
    schema = schemathesis.openapi.from_url(f"{gateway_url}/openapi.json")
    schema.config.update(headers=signed_in("e2e-fuzz-admin", "admin"), rate_limit=PACE)
    # Every request carries a real token: generated (or negated) credentials would only ever
    # reach the authentication check, never the routes behind it.
    schema.config.generation.update(deterministic=True, with_security_parameters=False)
    return schema


@pytest.mark.parametrize(("role", "mode"), RUNS, ids=[f"{r}-{m.value}" for r, m in RUNS])
def test_every_operation_answers_as_documented(
    gateway_schema: BaseSchema, role: str, mode: GenerationMode
) -> None:
    caller = signed_in(f"e2e-fuzz-{role}", role)
    findings: list[str] = []
    tested = 0
    for result in gateway_schema.get_all_operations():
        if isinstance(result, Err):  # an operation described too poorly to be called
            findings.append(str(result.err()))
            continue
        operation = result.ok()
        if mode is GenerationMode.NEGATIVE and not _takes_input(operation):
            continue  # no parameter and no body: there is no invalid request of it to make
        tested += 1
        try:
            _fuzz(operation, mode, caller)
        # a failed check (with the request to reproduce it), or whatever else stopped the run
        except (FailureGroup, Exception) as error:
            findings.append(f"{operation.label}: {error}")
    assert tested > 0, "the document lists no operation"
    assert not findings, f"{len(findings)} of {tested} operations:\n\n" + "\n\n".join(findings)


def _takes_input(operation: Operation) -> bool:
    """A body or a parameter of its own: security schemes are listed as header parameters too,
    and the token is not what is fuzzed here."""
    own = [p for p in operation.iter_parameters() if "x-original-security-type" not in p.definition]
    return bool(own) or len(operation.body) > 0


def _fuzz(operation: Operation, mode: GenerationMode, caller: dict[str, str]) -> None:
    """One operation's bounded run. The document exists only once the stack runs, after
    collection, and schemathesis' lazy loading (`schemathesis.pytest.from_fixture`) fails on
    pytest 9 (it sets `Function._nodeid`): so operations run in a loop, findings gathered."""
    runs = [(operation.as_strategy(generation_mode=mode), PER_OPERATION)]
    if mode is GenerationMode.POSITIVE:
        # the document's own examples too: requests that look real get past the validation
        # that random data rarely passes, into the services
        runs += [(examples, EXAMPLES) for examples in operation.get_strategies_from_examples()]
    for strategy, bounds in runs:

        @bounds
        @given(case=strategy)
        def run(case: Case[Any]) -> None:
            case.call_and_validate(headers=caller, checks=CHECKS)

        run()


def test_sequences_of_calls_answer_as_documented(gateway_schema: BaseSchema) -> None:
    """Along the links schemathesis infers (a created resource's id into the operations that
    take it), so requests reach resources that exist, in states the document must describe."""

    class Sequences(gateway_schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(
            self,
            response: Response,
            case: Case[Any],
            additional_checks: list[CheckFunction] | None = None,
            **kwargs: Any,
        ) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Sequences.run(settings=SEQUENCES)
