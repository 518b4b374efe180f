"""The API's documentation page, /docs, served entirely by the gateway: Swagger UI's files come
from the swagger-ui-bundle package (/docs/assets), so the page works on a machine without
internet, where FastAPI's default page (scripts from a CDN) stays blank.

That bundle is Swagger UI 4, which renders OpenAPI 3.0 only, and FastAPI writes 3.1. The page
therefore reads /docs/openapi-3.0.json: the same document as /openapi.json, with the few 3.1
forms FastAPI and pydantic use rewritten as their 3.0 equivalents. /openapi.json itself, what
client generators read, stays 3.1. The pages need no credentials (gateway.edge.auth guards
/api/ only)."""

from __future__ import annotations

from typing import Any

import swagger_ui_bundle  # type: ignore[import-untyped]  # ships no type information
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.requests import Request
from starlette.staticfiles import StaticFiles

SWAGGER_UI: str = swagger_ui_bundle.swagger_ui_path  # its dist folder
DOCS = "/docs"
ASSETS = "/docs/assets"
DOCUMENT_30 = "/docs/openapi-3.0.json"
OPENAPI_30 = "3.0.3"
# Swagger UI would fetch a badge from validator.swagger.io; the token entered in Authorize
# survives a reload.
PARAMETERS = {"validatorUrl": None, "persistAuthorization": True}
# Keywords whose value is a mapping of names, not of keywords.
NAMED = frozenset(
    {"properties", "patternProperties", "schemas", "paths", "responses", "content", "headers",
     "securitySchemes", "examples", "links", "callbacks", "encoding", "variables", "mapping",
     "parameters", "requestBodies"}
)  # fmt: skip
# Keywords whose value is data (a default, an example), never rewritten.
DATA = frozenset({"default", "example", "enum", "const", "value"})
# JSON Schema keywords 3.1 has and 3.0 lacks: Swagger UI 4 ignores them, 3.0 forbids them.
DROPPED = frozenset(
    {"$schema", "$id", "$anchor", "$comment", "$defs", "propertyNames", "prefixItems",
     "contains", "minContains", "maxContains", "dependentRequired", "dependentSchemas",
     "unevaluatedProperties", "unevaluatedItems", "if", "then", "else", "contentMediaType",
     "contentEncoding", "contentSchema"}
)  # fmt: skip


def install(app: FastAPI) -> None:
    """/docs, its assets and the 3.0 document it reads. Construct the app with docs_url=None
    (and redoc_url=None: ReDoc is not bundled, so it too would load from a CDN)."""
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI), name="docs-assets")

    @app.get(DOCS, include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{DOCUMENT_30}",
            title=f"{app.title} - API documentation",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon-32x32.png",
            swagger_ui_parameters=PARAMETERS,
        )

    converted: list[dict[str, Any]] = []  # built once, on first use, as /openapi.json is

    @app.get(DOCUMENT_30, include_in_schema=False)
    async def document_30() -> JSONResponse:
        if not converted:
            converted.append(as_openapi_30(app.openapi()))
        return JSONResponse(converted[0])


def as_openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    """`document` (OpenAPI 3.1, as FastAPI writes it) in the 3.0 forms Swagger UI 4 reads."""
    converted: dict[str, Any] = _convert(document)
    converted["openapi"] = OPENAPI_30
    converted.pop("jsonSchemaDialect", None)
    converted.pop("webhooks", None)
    return converted


def _convert(node: Any, named: bool = False) -> Any:
    """`node` with every object of keywords in 3.0 form; a `named` one is a mapping of names
    (of properties, schemas, paths, media types...), whose keys are left alone."""
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    if named:
        return {name: _convert(value) for name, value in node.items()}
    converted = {key: _keyword(key, value) for key, value in node.items() if key not in DROPPED}
    if "contentMediaType" in node and node.get("type") == "string":
        converted.setdefault("format", "binary")  # a file, as 3.0 says it
    return _schema_30(converted)


def _keyword(key: str, value: Any) -> Any:
    if key in DATA or (key == "examples" and isinstance(value, list)):
        return value
    return _convert(value, named=key in NAMED)


def _schema_30(node: dict[str, Any]) -> dict[str, Any]:
    """One object in 3.0 form. Only JSON-schema keywords change; an `examples` that is a list
    is a schema's (3.1), one that is a mapping is OpenAPI's own examples object (both)."""
    examples = node.get("examples")
    if isinstance(examples, list):
        node.pop("examples")
        if examples:
            node.setdefault("example", examples[0])
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(bound)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            node[limit], node[bound] = value, True
    if isinstance(node.get("type"), list):
        kinds = node.pop("type")
        rest = [kind for kind in kinds if kind != "null"]
        if len(rest) == 1:
            node["type"] = rest[0]
        elif rest:
            node["anyOf"] = [{"type": kind} for kind in rest]
        if len(rest) < len(kinds):
            node["nullable"] = True
    for union in ("anyOf", "oneOf"):
        options = node.get(union)
        if isinstance(options, list) and any(_is_null(option) for option in options):
            return _nullable(node, union)
    return node


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _nullable(node: dict[str, Any], union: str) -> dict[str, Any]:
    """`X | None` (a union with {"type": "null"}) as 3.0's `nullable: true` on X."""
    rest = [option for option in node.pop(union) if not _is_null(option)]
    if len(rest) != 1:
        return {**node, **({union: rest} if rest else {}), "nullable": True}
    (only,) = rest
    if "$ref" in only:  # 3.0 ignores whatever stands beside a $ref
        return {**node, "allOf": [only], "nullable": True}
    return {**only, **node, "nullable": True}
