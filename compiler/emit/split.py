"""Splitting a long printed statement one call argument, dict entry or list item per line.

`ast.unparse` prints every statement on one line. `lay_out` lays out
the call, dict or list a statement's value is made of, recursively for the
pieces that still do not fit, getting each piece's one-line text from a
function it is given: compiler/emit/printer.py passes the texts it already
printed; `split_line` re-parses a printed line and prints each piece again
(compiler/emit/unparser.py), for the lines the printer leaves alone (such as
decorators) and for every long line when the printer cannot run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from compiler.emit.unparser import ATOM, EXPR, TEST, Precedence, unparse

WIDTH = 100
_KEPT = (ast.Call, ast.Dict, ast.List)  # the nodes a long statement is split at

# How `lay_out` gets a piece's one-line text: (node, precedence its place asks for) -> text.
FlatText = Callable[[ast.AST, Precedence], str]


def split_line(line: str) -> str:
    """A long printed line split by re-parsing it (decorators, and lines the printer did not split)."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    text = line[len(indent) :]
    if text.startswith("@"):  # a decorator: wrap its call
        return indent + "@" + split_line(indent + text[1:])[len(indent) :]
    try:
        statement = ast.parse(text).body[0]
    except SyntaxError:  # a compound statement's header such as `if ...:`
        return line
    target = split_target(statement)
    if target is None:
        return line
    encoded = text.encode("utf-8")
    prefix = encoded[: target.col_offset].decode("utf-8")
    suffix = encoded[target.end_col_offset :].decode("utf-8")
    return indent + prefix + lay_out(target, indent, WIDTH - len(indent) - len(prefix), unparse) + suffix


def split_target(statement: ast.stmt) -> ast.Call | ast.Dict | ast.List | None:
    """The call, dict or list a statement's value is made of (`x = await f(...)`, `return {...}['key']`), if any."""
    target = getattr(statement, "value", None)
    while isinstance(target, (ast.Await, ast.Subscript, ast.Attribute)):
        target = target.value
    return target if isinstance(target, _KEPT) else None


def lay_out(node: ast.AST, indent: str, room: int, flat_of: FlatText, precedence: Precedence = TEST) -> str:
    """The expression, split one item per line while it does not fit in `room` characters."""
    flat = flat_of(node, precedence)
    if len(flat) <= room:
        return flat
    inner = indent + "    "
    room_inside = WIDTH - len(inner) - 1
    lone = isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
    if lone and isinstance(node.args[0], (ast.List, ast.Dict)):  # hug a lone list or dict: f([\n ...\n])
        return flat_of(node.func, ATOM) + "(" + lay_out(node.args[0], indent, room - 2, flat_of) + ")"
    if isinstance(node, ast.Call):
        opener, closer = flat_of(node.func, ATOM) + "(", ")"
        items = [lay_out(arg, inner, room_inside, flat_of) for arg in node.args]
        items += [
            (f"{kw.arg}=" if kw.arg else "**") + lay_out(kw.value, inner, room_inside - len(kw.arg or "") - 2, flat_of)
            for kw in node.keywords
        ]
    elif isinstance(node, ast.Dict):
        opener, closer = "{", "}"
        items = [
            ("**" + lay_out(value, inner, room_inside - 2, flat_of, EXPR))
            if key is None
            else f"{flat_of(key, TEST)}: " + lay_out(value, inner, room_inside - len(flat_of(key, TEST)) - 2, flat_of)
            for key, value in zip(node.keys, node.values, strict=True)
        ]
    elif isinstance(node, ast.List):
        opener, closer = "[", "]"
        items = [lay_out(item, inner, room_inside, flat_of) for item in node.elts]
    else:
        return flat
    if not items:
        return flat
    return opener + "\n" + "".join(f"{inner}{item},\n" for item in items) + indent + closer
