"""Documents answered as files: quotes, invoices and credit notes as PDFs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote as percent_encoded

from fastapi import Response

# A body of bytes, in the OpenAPI document.
BYTES = {"type": "string", "format": "binary"}


def pdf_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route that answers with a PDF."""
    return {200: {"content": {"application/pdf": {"schema": BYTES}}, "description": description}}


def pdf(content: bytes, filename: str) -> Response:
    """`content` as a PDF to download under `filename`."""
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(filename)},
    )


def attachment(filename: str) -> str:
    """A Content-Disposition header for `filename`: a plain ASCII name, plus the exact name
    (RFC 6266 `filename*`) when it has other characters."""
    plain = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    if plain == filename:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{percent_encoded(filename)}"
