"""The OpenAPI document tells the truth: every operation named by hand and described, every error
a documented problem+json, examples that match their schemas, unique schema names, one way to
page, and Locations that name an operation that reads them."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from jsonschema import Draft202012Validator

from gateway import health
from gateway.app import RESOURCES, create_app
from gateway.edge.idempotency import HEADER
from gateway.edge.openapi import EVERY_API_STATUS, PROBLEM_JSON, PROBLEM_REF
from services.gateway.tests.unit.conftest import gateway_settings
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

Operation = tuple[str, str, dict[str, Any]]
API = "/api/v1"
CAMEL_CASE = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)*$")
# Lists that do not page, and why (docs/api-conventions.md says the same).
NOT_PAGED = {
    "getSalesForecast": "one item per month with open orders: bounded by the pipeline's horizon",
    "listTaxRules": "the catalog's ListTaxRules does not page: a few rules per zone",
    "getSalesOrderTimeline": "one order's events: bounded by what happens to one order",
    "listDeadLetters": "open dead letters: few, and each service answers all of its own",
}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    built: FastAPI = create_app(gateway_settings(), None, memory_stores())
    return built


@pytest.fixture(scope="module")
def spec(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def operations(spec: dict[str, Any]) -> Iterator[Operation]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def api_routes() -> list[tuple[str, APIRoute]]:
    """(path, route) of every route in the document: each resource's under /api/v1, health's."""
    routers = [(API, r) for resource in RESOURCES for r in resource.routers]
    routers.append(("", health.router))
    return [
        (prefix + route.path_format, route)
        for prefix, router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
    ]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def name(path: str, method: str) -> str:
    return f"{method.upper()} {path}"


async def test_the_document_is_served_at_openapi_json(app: FastAPI, spec: dict[str, Any]) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        served = await c.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == spec


def test_every_operation_has_a_hand_chosen_id_a_summary_and_a_description(
    spec: dict[str, Any],
) -> None:
    routes = api_routes()
    assert len(routes) == len(list(operations(spec)))
    unnamed = [f"{sorted(r.methods or ())} {path}" for path, r in routes if not r.operation_id]
    unsummarised = [f"{sorted(r.methods or ())} {path}" for path, r in routes if not r.summary]
    assert not unnamed, f"operation_id= is not set on {unnamed}"
    assert not unsummarised, f"summary= is not set on {unsummarised}"
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    not_camel = [i for i in ids if not CAMEL_CASE.match(i)]
    assert not not_camel, "\n".join(not_camel)
    undescribed = [name(p, m) for p, m, op in operations(spec) if not op.get("description")]
    assert not undescribed, "no docstring (description) on:\n" + "\n".join(undescribed)


def test_every_api_operation_documents_its_errors_as_problem_json(spec: dict[str, Any]) -> None:
    missing, not_problems = [], []
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        if path.startswith("/api/v1/"):
            expected = set(EVERY_API_STATUS)
            parameters = operation.get("parameters", [])
            if any(p["in"] == "path" and p["name"].endswith("_id") for p in parameters):
                expected.add(404)  # an id in the path that names nothing
            if "requestBody" in operation:
                expected.add(413)
            lacking = sorted(s for s in expected if str(s) not in responses)
            if lacking:
                missing.append(f"{name(path, method)}: {lacking}")
        for code, response in responses.items():
            content = response.get("content", {})
            if int(code) >= 400 and (
                set(content) != {PROBLEM_JSON}
                or content[PROBLEM_JSON]["schema"] != {"$ref": PROBLEM_REF}
            ):
                not_problems.append(f"{name(path, method)} {code}")
    assert not missing, "\n".join(missing)
    assert not not_problems, "\n".join(not_problems)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "ValidationError" not in spec["components"]["schemas"]


def test_the_edge_is_documented_on_every_api_operation(spec: dict[str, Any]) -> None:
    """Identity on /api/v1 (none on the probes); an Idempotency-Key on every POST."""
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    for path, method, operation in operations(spec):
        if path.startswith("/api/v1/"):
            assert operation["security"] == [{"bearer": []}, {"apiKey": []}], name(path, method)
            assert "429" in operation["responses"]
        else:
            assert operation["security"] == [], name(path, method)
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert ("Idempotency-Key" in headers) == (
            method == "post" and path.startswith("/api/v1/")
        ), name(path, method)


def test_schema_names_are_unique_and_plain(spec: dict[str, Any]) -> None:
    """FastAPI names two models of one name by their modules (`gateway__orders__schemas__X`);
    a generated client makes a module of each name, so they may not collide in snake case
    either."""
    names = list(spec["components"]["schemas"])
    assert [n for n in names if "__" in n or not re.match(r"^[A-Z][A-Za-z0-9]*$", n)] == []
    snake = [re.sub(r"(?<!^)(?=[A-Z])", "_", n).lower() for n in names]
    assert len(snake) == len(set(snake)), sorted(n for n in snake if snake.count(n) > 1)


def test_every_schema_has_a_description(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    undescribed = [n for n, s in schemas.items() if not s.get("description")]
    assert not undescribed, "\n".join(undescribed)


def _examples(node: Any, at: str, parent: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every (where, schema, example) in the document: a schema's `examples`, a media type's or
    parameter's `example` and `examples`."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _examples(item, f"{at}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if parent != "properties":
        if isinstance(node.get("examples"), list):
            schema = {k: v for k, v in node.items() if k != "examples"}
            for example in node["examples"]:
                yield at, schema, example
        if "schema" in node and "example" in node:
            yield at, node["schema"], node["example"]
        if "schema" in node and isinstance(node.get("examples"), dict):
            for key, example in node["examples"].items():
                yield f"{at}.examples.{key}", node["schema"], example["value"]
    for key, value in node.items():
        yield from _examples(value, f"{at}.{key}", key)


def test_every_example_matches_its_schema(spec: dict[str, Any]) -> None:
    found = list(_examples(spec, "$"))
    assert len(found) > 100
    wrong = []
    for at, schema, example in found:
        validator = Draft202012Validator({**schema, "components": spec["components"]})
        errors = [e.message for e in validator.iter_errors(example)]
        if errors:
            wrong.append(f"{at}: {errors[:2]}")
    assert not wrong, "\n".join(wrong)


def _has_example(spec: dict[str, Any], media: dict[str, Any]) -> bool:
    if "example" in media or "examples" in media:
        return True
    return _schema_has_example(spec, media.get("schema", {}))


def _schema_has_example(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = resolve(spec, schema)
    if "anyOf" in schema:  # an optional body: each thing it may be
        return all(_schema_has_example(spec, s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        schema = resolve(spec, schema["items"])
    return bool(schema.get("examples"))


def test_every_body_and_answer_has_an_example(spec: dict[str, Any]) -> None:
    lacking = []
    for path, method, operation in operations(spec):
        media = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if media is not None and not _has_example(spec, media):
            lacking.append(f"{name(path, method)} request")
        for code, response in operation["responses"].items():
            media = response.get("content", {}).get("application/json")
            if code.startswith("2") and media is not None and not _has_example(spec, media):
                lacking.append(f"{name(path, method)} {code}")
    assert not lacking, "\n".join(lacking)


def test_every_list_pages_the_same_way(spec: dict[str, Any]) -> None:
    """`page_size` and `page_token` in, `next_page_token` out (empty on the last page), on every
    list; no other way to page."""
    wrong = []
    for path, method, operation in operations(spec):
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if query & {"cursor", "limit", "offset", "page", "per_page", "size"}:
            wrong.append(f"{name(path, method)}: pages another way: {sorted(query)}")
        media = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        if method != "get" or media is None or operation["operationId"] in NOT_PAGED:
            continue
        schema = resolve(spec, media["schema"])
        properties = schema.get("properties", {})
        is_list = schema.get("type") == "array" or properties.get("items", {}).get("type") == (
            "array"
        )
        pages = "next_page_token" in properties
        if (is_list or pages) and not (pages and {"page_size", "page_token"} <= query):
            wrong.append(
                f"{name(path, method)}: a list without page_size/page_token/next_page_token"
            )
        if pages and "next_page_token" not in schema.get("required", []):
            wrong.append(f"{name(path, method)}: next_page_token is optional")
    assert not wrong, "\n".join(wrong)


LOCATION = re.compile(r'headers\["Location"\]\s*=\s*\(?\s*f"([^"]*)"', re.DOTALL)


def test_every_location_names_an_operation_that_reads_it(spec: dict[str, Any]) -> None:
    """A 201 with a Location documents it, with a link to the GET operation whose path the
    route's Location has; a route that sets none documents none."""
    reads = {op["operationId"]: path for path, method, op in operations(spec) if method == "get"}
    wrong = []
    for path, route in api_routes():
        source = inspect.getsource(route.endpoint)
        sets = LOCATION.search(source)
        for method in route.methods or ():
            response = spec["paths"][path][method.lower()]["responses"].get(
                str(route.status_code or 200), {}
            )
            documented = "Location" in response.get("headers", {})
            if bool(sets) != documented or (sets and route.status_code != 201):
                wrong.append(
                    f"{name(path, method)}: sets Location {bool(sets)}, documented {documented}"
                )
                continue
            if not sets:
                continue
            (link,) = response["links"].values()
            read = reads.get(link["operationId"])
            template = sets.group(1).replace("{request.url.path}", path)
            if read is None or re.sub(r"\{[^}]*\}", "{}", template) != re.sub(
                r"\{[^}]*\}", "{}", read
            ):
                wrong.append(f"{name(path, method)}: Location {template} is not {read}")
            elif set(link["parameters"]) != set(re.findall(r"\{([^}]*)\}", read)):
                wrong.append(f"{name(path, method)}: link parameters {link['parameters']}")
    assert not wrong, "\n".join(wrong)


async def test_the_problems_the_api_answers_match_the_documented_schema(
    app: FastAPI, spec: dict[str, Any]
) -> None:
    """No identity (401), a body that does not match (422), an Idempotency-Key that cannot be
    one (422): what the gateway answers is what the document says, before a service is asked."""
    problem = Draft202012Validator({"$ref": PROBLEM_REF, "components": spec["components"]})
    seller = signed_in("sam", "sales")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        answers = [
            await c.get(f"{API}/sales-orders"),
            await c.post(f"{API}/sales-orders", json={"lines": [{}]}, headers=seller),
            await c.post(f"{API}/sales-orders", json={}, headers=seller | {HEADER: " "}),
        ]
    for answer, status in zip(answers, (401, 422, 422), strict=True):
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == PROBLEM_JSON
        assert list(problem.iter_errors(answer.json())) == []
        operation = spec["paths"][f"{API}/sales-orders"][answer.request.method.lower()]
        assert str(status) in operation["responses"]
