"""Who may call each RPC, read from the services' access tables without importing a service.

Each service keeps its table in `services/<svc>/src/<svc>/entrypoints/access.py` as plain
declarations (servicekit.access): names bound to role tuples and `allow(...)` rules, then one
`AccessTable(<module>_pb2.DESCRIPTOR.services_by_name["XService"], {"Rpc": rule, ...})` per gRPC
service. This module evaluates just that much of the file's syntax tree: strings, tuples,
starred names, `allow(...)`, generator expressions filtering a tuple and names imported from
servicekit. A table written any other way is reported unreadable, and the reference page then
leaves its rights to the service's README. The shared AuditService's table lives in servicekit,
the shared DeadLettersService's in messaging.dead_letters_api.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from messaging.dead_letters_api import DEAD_LETTERS_ACCESS
from servicekit import access as servicekit_access
from servicekit.access import AccessTable, Rule, allow
from servicekit.audit import AUDIT_ACCESS

_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class UnreadableTable(ValueError):
    """The access table uses a construct this reader does not evaluate."""


class _Reader:
    def __init__(self, source: str, where: str) -> None:
        self.tree = ast.parse(source)
        self.where = where
        self.names: dict[str, Any] = {}
        self.modules: dict[str, str] = {}  # `orders_pb2` -> `oms.orders.v1`

    def fail(self, node: ast.AST) -> UnreadableTable:
        return UnreadableTable(f"{self.where}:{getattr(node, 'lineno', '?')}: {ast.dump(node)}")

    def tables(self) -> dict[str, dict[str, Rule]]:
        found: dict[str, dict[str, Rule]] = {}
        for statement in self.tree.body:
            if isinstance(statement, ast.ImportFrom) and statement.module:
                self.imported(statement)
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                value = statement.value
                if isinstance(value, ast.Call) and _called(value) == "AccessTable":
                    service, rules = self.table(value)
                    found[service] = rules
                elif isinstance(target, ast.Name):
                    self.names[target.id] = self.value(value)
        return found

    def imported(self, statement: ast.ImportFrom) -> None:
        for alias in statement.names:
            if statement.module == "servicekit.access":
                self.names[alias.asname or alias.name] = getattr(servicekit_access, alias.name)
            elif statement.module and statement.module.startswith("oms."):
                self.modules[alias.asname or alias.name] = statement.module

    def table(self, call: ast.Call) -> tuple[str, dict[str, Rule]]:
        if len(call.args) != 2 or not isinstance(call.args[1], ast.Dict):
            raise self.fail(call)
        service = self.service_name(call.args[0])
        rules: dict[str, Rule] = {}
        for key, value in zip(call.args[1].keys, call.args[1].values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                raise self.fail(call)
            rule = self.value(value)
            if not isinstance(rule, Rule):
                raise self.fail(value)
            rules[key.value] = rule
        return service, rules

    def service_name(self, node: ast.expr) -> str:
        """`orders_pb2.DESCRIPTOR.services_by_name["OrdersService"]` -> its full name."""
        match node:
            case ast.Subscript(
                value=ast.Attribute(
                    value=ast.Attribute(value=ast.Name(id=module), attr="DESCRIPTOR"),
                    attr="services_by_name",
                ),
                slice=ast.Constant(value=str() as name),
            ) if module in self.modules:
                return f"{self.modules[module]}.{name}"
        raise self.fail(node)

    def value(self, node: ast.expr) -> Any:
        match node:
            case ast.Constant(value=str() as text):
                return text
            case ast.Name(id=name) if name in self.names:
                return self.names[name]
            case ast.Tuple(elts=items) | ast.List(elts=items):
                return tuple(self.items(items))
            case ast.Call() if _called(node) == "allow":
                return self.rule(node)
            case ast.GeneratorExp():
                return tuple(self.generated(node))
        raise self.fail(node)

    def items(self, nodes: list[ast.expr]) -> Iterator[Any]:
        for item in nodes:
            if isinstance(item, ast.Starred):
                yield from self.value(item.value)
            else:
                yield self.value(item)

    def rule(self, call: ast.Call) -> Rule:
        roles = tuple(self.items(call.args))
        keywords = {k.arg: self.value(k.value) for k in call.keywords if k.arg}
        if len(keywords) != len(call.keywords) or set(keywords) - {"services", "scope"}:
            raise self.fail(call)
        return allow(*roles, **keywords)

    def generated(self, node: ast.GeneratorExp) -> Iterator[Any]:
        if len(node.generators) != 1 or not isinstance(node.generators[0].target, ast.Name):
            raise self.fail(node)
        loop = node.generators[0]
        name = loop.target.id  # type: ignore[attr-defined]
        for item in self.value(loop.iter):
            scope = _Reader("", self.where)
            scope.names = {**self.names, name: item}
            if all(scope.condition(test) for test in loop.ifs):
                yield scope.value(node.elt)

    def condition(self, node: ast.expr) -> bool:
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
            raise self.fail(node)
        compare = _COMPARISONS.get(type(node.ops[0]))
        if compare is None:
            raise self.fail(node)
        return compare(self.value(node.left), self.value(node.comparators[0]))


def _called(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else ""


def read_access_tables(source: str, where: str = "access.py") -> dict[str, dict[str, Rule]]:
    """gRPC service full name -> RPC -> rule, for every AccessTable the source declares."""
    return _Reader(source, where).tables()


def suite_access_tables(services_dir: Path) -> tuple[dict[str, Mapping[str, Rule]], list[str]]:
    """Every table of every service under `services_dir`, and the files that could not be read."""
    shared: list[AccessTable] = [AUDIT_ACCESS, DEAD_LETTERS_ACCESS]
    tables: dict[str, Mapping[str, Rule]] = {
        table.service: {method.rsplit("/", 1)[1]: rule for method, rule in table.rules.items()}
        for table in shared
    }
    unreadable: list[str] = []
    for path in sorted(services_dir.glob("*/src/*/entrypoints/access.py")):
        where = str(path.relative_to(services_dir.parent))
        try:
            tables |= read_access_tables(path.read_text(), where)
        except (UnreadableTable, SyntaxError, TypeError):
            unreadable.append(where)
    return tables, unreadable
