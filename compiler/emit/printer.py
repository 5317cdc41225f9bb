"""Printing the module: `ast.unparse`'s text, with long calls split one argument per line.

`Printer().visit(module)` returns what `ast.unparse(module)` returns and
fills `Printer.split`, which maps each long one-line statement holding a
call, dict or list to its split form; compiler/emit/layout.py uses it and
falls back to `split_line` (compiler/emit/split.py: re-parse the printed
line, print each piece again) for the long lines the printer leaves alone,
such as decorators.

Statements are printed by the private unparser's own methods (the class
`ast.unparse` is built on, found by compiler/emit/unparser.py; import this
module only when `emit_unparser.PRIVATE` is set), but every expression goes
through `Printer.text(node, precedence)`, which returns its text as a
string: the common nodes (names, constants, attributes, calls, subscripts,
lists, dicts, `await` and the operators) are printed here as the private
unparser prints them, the rest by the private unparser itself. Because a
node's text is a value, the pieces a long statement is split into (call
arguments, dict entries, list items) are already known when the statement
is done: the texts of calls, dicts and lists are kept while their
statement prints. The precedence is passed down rather than stored per
node, so an `ast` node may appear in several places of the tree (the
emitter shares the trees of repeated expressions).

A statement holding a node the private unparser printed, or a name or
constant that would not read back the same (non-ASCII names, floats that
are not finite), is left to `split_line`, so both ways give the same bytes;
the tests compare them on this repository's modules.
"""

from __future__ import annotations

import ast
import functools
import keyword
import math
from collections.abc import Callable
from typing import ClassVar

from compiler.emit.split import WIDTH, lay_out, split_target
from compiler.emit.unparser import PRIVATE, unparse

_Precedence = PRIVATE.precedence
TEST, EXPR, CMP, AWAIT, ATOM = _Precedence.TEST, _Precedence.EXPR, _Precedence.CMP, _Precedence.AWAIT, _Precedence.ATOM
_NEXT = {precedence: precedence.next() for precedence in _Precedence}
_REPR_CONSTANTS = (str, int, bool, type(None))  # printed as repr() (floats and tuples have special cases)
# Operator node class -> (text, precedence), from the private unparser's own tables.
_TABLES = PRIVATE.unparser
_BINARY = {getattr(ast, name): (text, _TABLES.binop_precedence[text]) for name, text in _TABLES.binop.items()}
_UNARY = {getattr(ast, name): (text, _TABLES.unop_precedence[text]) for name, text in _TABLES.unop.items()}
_BOOLEAN = {getattr(ast, name): (text, _TABLES.boolop_precedence[text]) for name, text in _TABLES.boolops.items()}
_COMPARISON = {getattr(ast, name): text for name, text in _TABLES.cmpops.items()}


class Unparser(PRIVATE.unparser):  # ast.unparse(tree) is this class's visit(tree)
    """`ast.unparse` for trees without locations, with the visit method of each node class looked up once.

    The emitter does not compute locations; only `get_type_comment` read them.
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


class Printer(Unparser):
    """`ast.unparse` that prints expressions as strings and splits long one-line statements."""

    def __init__(self, **options: bool) -> None:
        super().__init__(**options)
        self.split: dict[str, str] = {}
        self._kept: dict[ast.AST, str] = {}  # texts of the calls, dicts and lists of the statement being printed
        self._exact = True  # whether the statement printed so far would read back the same (see module docstring)
        self._last = ""  # the text of the expression printed last

    def traverse(self, node: ast.AST | list) -> None:
        if isinstance(node, ast.expr):
            self._last = self.text(node, self._precedences.pop(node, TEST))
            self._source.append(self._last)
        else:
            super().traverse(node)

    def text(self, node: ast.AST, precedence: _Precedence) -> str:
        """The node's text where its place asks for `precedence` (parentheses when it binds less tightly)."""
        kind = node.__class__
        if kind is ast.Name and _plain_name(node.id):  # the leaves, most of the nodes, without a further call
            return node.id
        if kind is ast.Constant and node.kind is None and type(node.value) in _REPR_CONSTANTS:
            return repr(node.value)
        printer = _TEXT.get(kind)
        if printer is None:
            self._exact = False
            return unparse(node, precedence)
        return printer(self, node, precedence)

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
        """Print a one-line statement; note its split form when it is too long and holds a call."""
        target = split_target(node)
        start = len(self._source)
        self._kept.clear()
        self._exact = True
        print_statement(node)
        if target is None or not self._exact or getattr(node, "type_comment", None):
            return
        line = "".join(self._source[start:]).lstrip("\n")
        if len(line) <= WIDTH or "\n" in line:
            return
        value, kept = self._last, self._kept[target]  # the value is printed last; it starts with "(" or "await "
        begin = len(line) - len(value) + value.find(kept)
        indent = line[: len(line) - len(line.lstrip(" "))]
        head, suffix = line[:begin], line[begin + len(kept) :]
        self.split[line] = head + lay_out(target, indent, WIDTH - len(head), self._flat) + suffix

    def _flat(self, node: ast.AST, precedence: _Precedence) -> str:
        kept = self._kept.get(node)
        return self.text(node, precedence) if kept is None else kept

    def _name(self, node: ast.Name, precedence: _Precedence) -> str:
        if not _plain_name(node.id):
            self._exact = False
        return node.id

    def _constant(self, node: ast.Constant, precedence: _Precedence) -> str:
        value = node.value
        if node.kind is None and (type(value) in _REPR_CONSTANTS or (type(value) is float and math.isfinite(value))):
            return repr(value)
        self._exact = False
        return unparse(node, precedence)

    def _attribute(self, node: ast.Attribute, precedence: _Precedence) -> str:
        if not _plain_name(node.attr):
            self._exact = False
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, int):  # `3 .real`: `3.real` would not parse
            return self.text(value, ATOM) + " ." + node.attr
        return self.text(value, ATOM) + "." + node.attr

    def _call(self, node: ast.Call, precedence: _Precedence) -> str:
        callee = self.text(node.func, ATOM)
        arguments = [self.text(argument, TEST) for argument in node.args]
        arguments += [self._keyword(item) for item in node.keywords]
        self._kept[node] = text = callee + "(" + ", ".join(arguments) + ")"
        return text

    def _keyword(self, node: ast.keyword) -> str:
        if node.arg is None:
            return "**" + self.text(node.value, TEST)
        if not _plain_name(node.arg):
            self._exact = False
        return node.arg + "=" + self.text(node.value, TEST)

    def _subscript(self, node: ast.Subscript, precedence: _Precedence) -> str:
        if isinstance(node.slice, ast.Tuple) and node.slice.elts:  # `x[a, b]`: printed without parentheses
            self._exact = False
            return unparse(node, precedence)
        return self.text(node.value, ATOM) + "[" + self.text(node.slice, TEST) + "]"

    def _list(self, node: ast.List, precedence: _Precedence) -> str:
        self._kept[node] = text = "[" + ", ".join([self.text(item, TEST) for item in node.elts]) + "]"
        return text

    def _dict(self, node: ast.Dict, precedence: _Precedence) -> str:
        items = [
            "**" + self.text(value, EXPR) if key is None else self.text(key, TEST) + ": " + self.text(value, TEST)
            for key, value in zip(node.keys, node.values, strict=True)
        ]
        self._kept[node] = text = "{" + ", ".join(items) + "}"
        return text

    def _await(self, node: ast.Await, precedence: _Precedence) -> str:
        text = "await " + self.text(node.value, ATOM) if node.value else "await"
        return "(" + text + ")" if precedence > AWAIT else text

    def _binary(self, node: ast.BinOp, precedence: _Precedence) -> str:
        operator, own = _BINARY[node.op.__class__]
        left, right = (_NEXT[own], own) if operator == "**" else (own, _NEXT[own])  # `**` groups to the right
        text = self.text(node.left, left) + f" {operator} " + self.text(node.right, right)
        return "(" + text + ")" if precedence > own else text

    def _unary(self, node: ast.UnaryOp, precedence: _Precedence) -> str:
        operator, own = _UNARY[node.op.__class__]
        space = "" if own is _Precedence.FACTOR else " "  # `-x`, `not x`
        text = operator + space + self.text(node.operand, own)
        return "(" + text + ")" if precedence > own else text

    def _boolean(self, node: ast.BoolOp, precedence: _Precedence) -> str:
        operator, own = _BOOLEAN[node.op.__class__]
        parts, level = [], own
        for value in node.values:  # as the private unparser does: each operand asks one level more than the one before
            level = _NEXT[level]
            parts.append(self.text(value, level))
        text = f" {operator} ".join(parts)
        return "(" + text + ")" if precedence > own else text

    def _compare(self, node: ast.Compare, precedence: _Precedence) -> str:
        operand = _NEXT[CMP]
        parts = [self.text(node.left, operand)]
        for operator, comparator in zip(node.ops, node.comparators, strict=True):
            parts.append(f" {_COMPARISON[operator.__class__]} " + self.text(comparator, operand))
        text = "".join(parts)
        return "(" + text + ")" if precedence > CMP else text

    def _conditional(self, node: ast.IfExp, precedence: _Precedence) -> str:
        operand = _NEXT[TEST]
        text = self.text(node.body, operand) + " if " + self.text(node.test, operand)
        text += " else " + self.text(node.orelse, TEST)
        return "(" + text + ")" if precedence > TEST else text


_TEXT: dict[type, Callable[[Printer, ast.AST, _Precedence], str]] = {
    ast.Name: Printer._name,
    ast.Constant: Printer._constant,
    ast.Attribute: Printer._attribute,
    ast.Call: Printer._call,
    ast.Subscript: Printer._subscript,
    ast.List: Printer._list,
    ast.Dict: Printer._dict,
    ast.Await: Printer._await,
    ast.BinOp: Printer._binary,
    ast.UnaryOp: Printer._unary,
    ast.BoolOp: Printer._boolean,
    ast.Compare: Printer._compare,
    ast.IfExp: Printer._conditional,
}


@functools.lru_cache(maxsize=4096)
def _plain_name(name: str) -> bool:
    return name.isascii() and name.isidentifier() and not keyword.iskeyword(name)
