"""/docs works without internet: the page and everything it loads come from the gateway, without
credentials, and the document it reads is OpenAPI 3.0, which its Swagger UI (4) renders."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_30

from gateway.app import create_app
from gateway.edge.docs import as_openapi_30
from services.gateway.tests.unit.conftest import gateway_settings
from services.gateway.tests.unit.fakes import memory_stores

# Where a page names what it loads: attributes, and Swagger UI's `url: '...'` for the document.
REFERENCES = re.compile(r"""(?:src|href)="([^"]+)"|url: '([^']+)'""")
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(gateway_settings(), stores=memory_stores())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        yield client


async def test_the_docs_page_loads_only_what_the_gateway_serves(
    gateway: httpx.AsyncClient,
) -> None:
    page = await gateway.get("/docs")  # no credentials, as a browser opens it
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "://" not in page.text, "nothing from another host (a CDN, a validator)"
    references = [a or b for a, b in REFERENCES.findall(page.text)]
    assert len(references) == 4, references  # stylesheet, icon, script, document
    for reference in references:
        assert reference.startswith("/docs/"), reference
        answer = await gateway.get(reference)
        assert answer.status_code == 200, reference
        suffix = reference[reference.rfind(".") :]
        expected = CONTENT_TYPES.get(suffix, "application/json")
        assert answer.headers["content-type"].startswith(expected), (reference, answer.headers)
    assert await _body_of(gateway, references, ".js") > 500_000, "the whole Swagger UI bundle"


async def _body_of(gateway: httpx.AsyncClient, references: list[str], suffix: str) -> int:
    (script,) = [r for r in references if r.endswith(suffix)]
    return len((await gateway.get(script)).content)


async def test_the_page_reads_the_api_as_openapi_3_0(gateway: httpx.AsyncClient) -> None:
    served = (await gateway.get("/openapi.json")).json()
    document = (await gateway.get("/docs/openapi-3.0.json")).json()
    assert served["openapi"].startswith("3.1"), "clients still get FastAPI's 3.1 document"
    jsonschema_rs.Draft4Validator(OPENAPI_30).validate(document)  # raises what is not 3.0
    assert document["openapi"] == "3.0.3"
    assert document["paths"].keys() == served["paths"].keys()
    assert '{"type": "null"}' not in str(document).replace("'", '"')


def test_3_1_forms_become_their_3_0_equivalents() -> None:
    schemas: dict[str, Any] = {
        "Ref": {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "default": None},
        "Text": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Note"},
        "Either": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        "Listed": {"type": ["integer", "null"]},
        "Positive": {"type": "number", "exclusiveMinimum": 0, "examples": [12.5, 3]},
        "Fixed": {"const": "EUR"},
        # names that are also keywords stay names; a default is data, never rewritten
        "Named": {"properties": {"if": {"type": "string"}, "const": {"default": {"const": 1}}}},
        "Tuple": {"type": "array", "prefixItems": [{"type": "string"}], "$defs": {}},
        "File": {"type": "string", "contentMediaType": "application/octet-stream"},
    }
    parameter = {"name": "q", "in": "query", "examples": {"one": {"value": "a"}}}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {"/x": {"get": {"parameters": [parameter]}}},
        "components": {"schemas": schemas},
    }
    converted = as_openapi_30(document)["components"]["schemas"]
    assert converted["Ref"] == {
        "allOf": [{"$ref": "#/components/schemas/X"}],
        "default": None,
        "nullable": True,
    }
    assert converted["Text"] == {"type": "string", "title": "Note", "nullable": True}
    assert converted["Either"] == {
        "anyOf": [{"type": "string"}, {"type": "integer"}],
        "nullable": True,
    }
    assert converted["Listed"] == {"type": "integer", "nullable": True}
    assert converted["Positive"] == {
        "type": "number",
        "minimum": 0,
        "exclusiveMinimum": True,
        "example": 12.5,
    }
    assert converted["Fixed"] == {"enum": ["EUR"]}
    assert converted["Named"] == schemas["Named"]
    assert converted["Tuple"] == {"type": "array"}, "3.0 has no such keywords"
    assert converted["File"] == {"type": "string", "format": "binary"}
    # an OpenAPI examples object (a mapping) is the same in both versions
    assert as_openapi_30(document)["paths"]["/x"]["get"]["parameters"] == [parameter]
    assert document["components"]["schemas"]["Fixed"] == {"const": "EUR"}, "input untouched"
