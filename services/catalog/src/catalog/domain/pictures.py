"""A product's pictures: linked by URL or stored from uploaded bytes, and what each must be."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from servicekit.errors import Violations

MAX_PICTURES = 20
MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_URL = 2000
MAX_ALT_TEXT = 500  # the alt_text column
# What each accepted picture type's bytes hold, at these offsets.
PICTURE_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "image/png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "image/jpeg": ((0, b"\xff\xd8\xff"),),
    "image/gif": ((0, b"GIF8"),),
    "image/webp": ((0, b"RIFF"), (8, b"WEBP")),
}


@dataclass(frozen=True)
class Picture:
    id: str
    url: str
    alt_text: str
    position: int
    stored: bool


@dataclass(frozen=True)
class PictureContent:
    content: bytes
    content_type: str


def check_link(url: str, at: str, problems: Violations) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
        problems.add(at, f"an http or https URL of at most {MAX_URL} characters")


def check_alt_text(alt_text: str, at: str, problems: Violations) -> None:
    if len(alt_text) > MAX_ALT_TEXT:
        problems.add(at, f"at most {MAX_ALT_TEXT} characters")


def new_picture(
    product_id: str, position: int, url: str, content: bytes, content_type: str, alt_text: str
) -> tuple[Picture, PictureContent | None]:
    """The picture at `position` of a product: linked by `url`, or stored from `content`; and
    the bytes to store for it (None for a linked one)."""
    problems = Violations()
    if position >= MAX_PICTURES:
        problems.add("pictures", f"a product has at most {MAX_PICTURES}")
    if url and content:
        problems.add("url", "either a url or content, not both")
    elif url:
        check_link(url, "url", problems)
    elif content:
        _check_content(content, content_type, problems)
    else:
        problems.add("url", "either a url or content is required")
    check_alt_text(alt_text, "alt_text", problems)
    problems.raise_if_any()
    picture_id = str(uuid.uuid4())
    stored = PictureContent(content, content_type) if content else None
    link = url or f"/products/{product_id}/pictures/{picture_id}"
    return Picture(picture_id, link, alt_text, position, stored=stored is not None), stored


def _check_content(content: bytes, content_type: str, problems: Violations) -> None:
    signature = PICTURE_SIGNATURES.get(content_type)
    if signature is None:
        problems.add("content_type", f"one of {', '.join(PICTURE_SIGNATURES)}")
    elif len(content) > MAX_PICTURE_BYTES:
        problems.add("content", f"at most {MAX_PICTURE_BYTES} bytes (5 MiB)")
    elif not all(content[at : at + len(magic)] == magic for at, magic in signature):
        problems.add("content", f"not a {content_type} picture")
