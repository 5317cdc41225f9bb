"""Reads of the workflow input checked against the fields the start node declares.

`input.nonexistent` passes the name check (`input` is in scope everywhere)
but fails at run time with a KeyError. When the start node declares its
input fields, every `input.x` and `input["x"]` must name one of them; a
workflow that declares none keeps accepting any name, as its input is
whatever the caller sends (docs/expressions.md).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from compiler.expressions.allow_list import ExpressionError, suggest
from compiler.ir import Graph

INPUT = "input"


def declared_input_fields(graph: Graph) -> frozenset[str] | None:
    """The start node's declared input field names; None when it declares none (any name is accepted)."""
    for node in graph.nodes:
        if node.type == "start" and isinstance(node.config, dict):
            fields = node.config.get("input_fields")
            fields = fields if isinstance(fields, list) else []
            names = {f["name"] for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)}
            return frozenset(names) or None
    return None


def unknown_input_fields(source: str, tree: ast.expr, declared: frozenset[str]) -> Iterator[ExpressionError]:
    """An error for each `input.x` / `input["x"]` of the checked tree whose x is not declared.

    The checked tree writes both forms as `input["x"]`, with the names local to
    a comprehension renamed, so only reads of the workflow input are seen.
    """
    reported = set()
    for node in ast.walk(tree):
        name = _input_key(node)
        if name is None or name in declared or name in reported:
            continue
        reported.add(name)
        yield ExpressionError(
            f"the workflow input has no field {name!r}", _column(source, name), suggest(name, declared)
        )


def _input_key(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Subscript) or not isinstance(node.value, ast.Name) or node.value.id != INPUT:
        return None
    index = node.slice
    return index.value if isinstance(index, ast.Constant) and isinstance(index.value, str) else None


def _column(source: str, name: str) -> int:
    """1-based column of the field name in the text (1 if written in a way the pattern does not find)."""
    quoted = re.escape(name)
    found = re.search(rf"\b{INPUT}\s*(?:\.\s*({quoted})\b|\[\s*['\"]({quoted})['\"]\s*\])", source)
    if found is None:
        return 1
    return (found.start(1) if found.group(1) is not None else found.start(2)) + 1
