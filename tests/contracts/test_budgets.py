"""Size budgets for the code in services/ and libs/ (docs/architecture.md): no module over 400
lines and no function over 60, so every unit still reads in one sitting. Generated stubs and
migrations are not written by hand and do not count."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _sources() -> list[Path]:
    found = []
    for top in ("services", "libs", "bench", "examples"):
        for path in (ROOT / top).rglob("*.py"):
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"tests", "migrations", ".venv", "__pycache__"}:
                continue
            if "oms" in parts and "contracts" in parts:  # generated stubs
                continue
            found.append(path)
    return found


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]


def test_sources_are_found() -> None:
    assert len(_sources()) > 300


def test_no_module_is_over_400_lines() -> None:
    long = [
        f"{p.relative_to(ROOT)} ({n} lines)"
        for p in _sources()
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert long == []


def test_no_function_is_over_60_lines() -> None:
    assert [entry for path in _sources() for entry in _long_functions(path)] == []
