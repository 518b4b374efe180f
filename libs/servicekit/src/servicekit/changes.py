"""What an update changed, as the audit log keeps it. Plain Python: use cases import it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def changed(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose values differ, before and after: what an update record keeps."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
