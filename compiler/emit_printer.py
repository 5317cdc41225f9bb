"""Printing the module: `ast.unparse`'s text, with long calls split one argument per line.

`Printer().visit(module)` returns exactly `ast.unparse(module)` and fills
`Printer.split`, which maps each long one-line statement to its split
form; compiler/emit_layout.py uses it and falls back to `split_line`
(re-parse the printed line, print each piece again) for the long lines the
printer leaves alone. Both give the same bytes; splitting from the tree
only saves re-parsing every long line and printing each piece a second
time, which cost more than printing the module.

How a statement is split from its tree: while it is printed, the printer
notes where each sub-expression's text starts and ends. A piece is the
text `split_line` would print after re-parsing the line because:
- pieces come from the notes only where no parent asked for parentheses
  (call arguments, keyword values, dict keys and values, list items), and
  there `ast.unparse` prints a node as it prints it alone;
- a statement is printed with fresh precedences; if one of its nodes was
  printed earlier in the module (a shared node, which `ast.unparse` may
  parenthesise as it was there), it is printed again the standard way and
  left to `split_line`, as is any statement with a node that does not print
  as text parsing back to the same tree (f-strings, names that are not
  plain identifiers, constants other than plain scalars, deep nesting).
"""

from __future__ import annotations

import ast
import functools
import keyword
import math
from collections.abc import Callable
from typing import ClassVar

WIDTH = 100
_ATOM = ast._Precedence.ATOM
_REPR_CONSTANTS = (str, int, bool, type(None))  # printed as repr() (floats and tuples have special cases)
_SAFE_CONSTANTS = (str, bytes, bool, int, type(None), type(...))
_NO_OWN_PARENTHESES = frozenset({ast.Call, ast.Dict, ast.List})
# Node classes whose text might not parse back to the same tree (see _round_trips); the others always do.
_CHECKED = frozenset({ast.Name, ast.Attribute, ast.Constant, ast.keyword, ast.arg, ast.JoinedStr, ast.FormattedValue})
_MAX_DEPTH = 100  # the parser refuses lines nested deeper than 200 brackets


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
    target = _call_in(statement)
    if target is None:
        return line
    encoded = text.encode("utf-8")
    prefix = encoded[: target.col_offset].decode("utf-8")
    suffix = encoded[target.end_col_offset :].decode("utf-8")
    return indent + prefix + _render(target, indent, WIDTH - len(indent) - len(prefix)) + suffix


def _call_in(statement: ast.stmt) -> ast.Call | None:
    """The call a statement's value is made of (`x = await f(...)`, `return f(...)['key']`), if any."""
    target = getattr(statement, "value", None)
    while isinstance(target, (ast.Await, ast.Subscript, ast.Attribute)):
        target = target.value
    return target if isinstance(target, ast.Call) else None


def _render(node: ast.expr, indent: str, room: int, flat_of: Callable[[ast.AST], str] = ast.unparse) -> str:
    """The expression, split one item per line while it does not fit in `room` characters.

    `flat_of(node)` must be `ast.unparse(node)`; the printer passes a
    lookup of the text it already printed.
    """
    flat = flat_of(node)
    if len(flat) <= room:
        return flat
    inner = indent + "    "
    room_inside = WIDTH - len(inner) - 1
    lone = isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
    if lone and isinstance(node.args[0], (ast.List, ast.Dict)):  # hug a lone list or dict: f([\n ...\n])
        return ast.unparse(node.func) + "(" + _render(node.args[0], indent, room - 2, flat_of) + ")"
    if isinstance(node, ast.Call):
        opener, closer = ast.unparse(node.func) + "(", ")"
        items = [_render(arg, inner, room_inside, flat_of) for arg in node.args]
        items += [
            (f"{kw.arg}=" if kw.arg else "**") + _render(kw.value, inner, room_inside - len(kw.arg or "") - 2, flat_of)
            for kw in node.keywords
        ]
    elif isinstance(node, ast.Dict):
        opener, closer = "{", "}"
        items = [
            ("**" + _render(value, inner, room_inside - 2, flat_of))
            if key is None
            else f"{flat_of(key)}: " + _render(value, inner, room_inside - len(flat_of(key)) - 2, flat_of)
            for key, value in zip(node.keys, node.values, strict=True)
        ]
    elif isinstance(node, ast.List):
        opener, closer = "[", "]"
        items = [_render(item, inner, room_inside, flat_of) for item in node.elts]
    else:
        return flat
    if not items:
        return flat
    return opener + "\n" + "".join(f"{inner}{item},\n" for item in items) + indent + closer


class Unparser(ast._Unparser):  # ast.unparse(tree) is ast._Unparser().visit(tree)
    """`ast.unparse`, printing the same text a little faster, for trees without locations.

    The emitter does not compute locations (only `get_type_comment` read
    them). The nodes every workflow is made of (names, attributes,
    constants, calls, keywords) are printed as `ast._Unparser` prints them,
    without its per-node context managers and enum lookups; anything else
    goes to the standard methods.
    """

    _visits: ClassVar[dict[type, Callable]] = {}  # node class -> this printer class's visit_ function

    def get_type_comment(self, node: ast.stmt) -> str | None:
        if self._type_ignores:  # only set by `# type: ignore` comments of parsed source
            return super().get_type_comment(node)
        return None if node.type_comment is None else f" # type: {node.type_comment}"

    def traverse(self, node: ast.AST | list) -> None:
        if isinstance(node, list):
            for item in node:
                self.traverse(item)
        else:
            (self._visits.get(node.__class__) or self._visit_function(node.__class__))(self, node)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._visits = {}

    @classmethod
    def _visit_function(cls, node_class: type) -> Callable[[Unparser, ast.AST], None]:
        """What `ast.NodeVisitor.visit` calls for this node class, looked up once per printer class."""
        function = getattr(cls, "visit_" + node_class.__name__, cls.generic_visit)
        cls._visits[node_class] = function
        return function

    def visit_Name(self, node: ast.Name) -> None:
        self._source.append(node.id)

    def visit_Constant(self, node: ast.Constant) -> None:
        if node.kind is None and type(node.value) in _REPR_CONSTANTS and not self._avoid_backslashes:
            self._source.append(repr(node.value))
        else:
            super().visit_Constant(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._precedences[node.value] = _ATOM
        self.traverse(node.value)
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, int):
            self._source.append(" ")  # `3 .real`: `3.real` would not parse
        self._source.append(".")
        self._source.append(node.attr)

    def visit_Call(self, node: ast.Call) -> None:
        self._precedences[node.func] = _ATOM
        self.traverse(node.func)
        self._source.append("(")
        for index, argument in enumerate([*node.args, *node.keywords]):
            if index:
                self._source.append(", ")
            self.traverse(argument)
        self._source.append(")")

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is None:
            self._source.append("**")
        else:
            self._source.append(node.arg)
            self._source.append("=")
        self.traverse(node.value)


class Printer(Unparser):
    """`ast.unparse` that also splits its long one-line statements (see the module docstring)."""

    def __init__(self, **options: bool) -> None:  # f-strings print their parts with type(self)(**options)
        super().__init__(**options)
        self.split: dict[str, str] = {}
        # Notes of the statement being printed: node -> (chunks, start, end, printed as alone).
        self._spans: dict[ast.AST, tuple[list[str], int, int, bool]] = {}
        self._earlier: dict[ast.AST, object] = {}
        self._reprint = False
        self._splittable = True
        self._depth = 0

    def visit_Expr(self, node: ast.Expr) -> None:
        self._statement(node, super().visit_Expr)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._statement(node, super().visit_Assign)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._statement(node, super().visit_AugAssign)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._statement(node, super().visit_AnnAssign)

    def visit_Return(self, node: ast.Return) -> None:
        self._statement(node, super().visit_Return)

    def _statement(self, node: ast.stmt, print_statement: Callable[[ast.stmt], None]) -> None:
        target = _call_in(node)
        if target is None:
            print_statement(node)
            return
        start = len(self._source)
        earlier = self._precedences
        self._precedences, self._earlier, self._spans = {}, earlier, {}
        self._reprint, self._splittable = False, True
        self.traverse = self._noting  # only while this statement prints: other nodes pay nothing
        try:
            print_statement(node)
        finally:
            del self.traverse
            fresh, self._precedences = self._precedences, earlier
        if self._reprint:
            del self._source[start:]
            print_statement(node)
            return
        earlier.update(fresh)
        line = "".join(self._source[start:]).lstrip("\n")
        if len(line) > WIDTH and self._splittable and "\n" not in line and target in self._spans:
            chunks, begin, end, _ = self._spans[target]
            head = "".join(chunks[start:begin]).lstrip("\n")
            indent = line[: len(line) - len(line.lstrip(" "))]
            suffix = "".join(chunks[end:])
            self.split[line] = head + _render(target, indent, WIDTH - len(head), self._flat) + suffix

    def _noting(self, node: ast.AST | list) -> None:
        """`traverse` that notes where each node's text starts and ends."""
        if isinstance(node, list):
            for item in node:
                self._noting(item)
            return
        kind, spans = node.__class__, self._spans
        if node in self._earlier:
            self._reprint = True
        if node in spans or self._depth >= _MAX_DEPTH or (kind in _CHECKED and not _round_trips(node)):
            self._splittable = False
        alone = kind in _NO_OWN_PARENTHESES or node not in self._precedences
        chunks = self._source
        begin = len(chunks)
        self._depth += 1
        (self._visits.get(kind) or self._visit_function(kind))(self, node)
        self._depth -= 1
        spans[node] = (chunks, begin, len(chunks), alone)

    def _flat(self, node: ast.AST) -> str:
        """`ast.unparse(node)`, from the notes where they hold it."""
        chunks, begin, end, alone = self._spans.get(node, (None, 0, 0, False))
        return "".join(chunks[begin:end]) if alone else Unparser().visit(node)


def _round_trips(node: ast.AST) -> bool:
    """Whether the node prints as text that parses back to the same kind of node."""
    kind = node.__class__
    if kind is ast.Name:
        return _plain_name(node.id)
    if kind is ast.Attribute:
        return _plain_name(node.attr)
    if kind is ast.Constant:
        value = node.value
        return isinstance(value, _SAFE_CONSTANTS) or (type(value) is float and math.isfinite(value))
    if kind is ast.keyword or kind is ast.arg:
        return node.arg is None or _plain_name(node.arg)
    return kind is not ast.JoinedStr and kind is not ast.FormattedValue


@functools.lru_cache(maxsize=4096)
def _plain_name(name: str) -> bool:
    return name.isascii() and name.isidentifier() and not keyword.iskeyword(name)
