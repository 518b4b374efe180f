"""A template: a quote's groups saved under a name, to start new quotes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quoting.domain.content import GroupInput


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    groups: tuple[GroupInput, ...]
    created_at: datetime
    created_by: str
