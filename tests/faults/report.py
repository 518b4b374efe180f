"""What the fault suite injected and checked, kept for the end of the pytest run: conftest's
terminal-summary hook prints it whether or not output is captured, so CI always shows it."""

from __future__ import annotations

SECTIONS: list[tuple[str, list[str]]] = []


def section(title: str, lines: list[str]) -> None:
    SECTIONS.append((title, lines))
