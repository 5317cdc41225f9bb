"""Where the printer finds the private class behind `ast.unparse`, and what prints when it is gone.

compiler/emit/printer.py subclasses the class `ast.unparse` is built on and
reads its precedence and operator tables, so the code it prints is byte for
byte what `ast.unparse` prints. That class is private: Python 3.14 moved it
from `ast._Unparser` to `_ast_unparse.Unparser`, and a later version may
move or change it again. This is the only module that looks for it:
`PRIVATE` is what was found, or None when no known place has a class with
the parts the printer uses.

Without it, compiler/emit/layout.py prints the module with `ast.unparse`
and splits every long line by re-parsing it (compiler/emit/split.py), and
`unparse` below prints each piece with `ast.unparse`. `ast.unparse` cannot
be told what a piece's place asks (an operand, a callee), so a piece that
is not an atom is put in parentheses wherever its place asks more than a
plain expression: the same code, possibly with parentheses the private
printer would leave out (`**(a + b)` rather than `**a + b`).
"""

from __future__ import annotations

import ast
import enum
import importlib
from collections.abc import Iterable
from dataclasses import dataclass

# (module, class) pairs that have held the unparser, oldest first; each also holds `_Precedence`.
LOCATIONS = (("ast", "_Unparser"), ("_ast_unparse", "Unparser"))
# What compiler/emit/printer.py reads from the class and from the precedence enum.
CLASS_PARTS = ("binop", "binop_precedence", "unop", "unop_precedence", "boolops", "boolop_precedence", "cmpops")
CLASS_PARTS += ("traverse", "visit", "generic_visit", "get_type_comment")
PRECEDENCES = ("TEST", "CMP", "EXPR", "FACTOR", "AWAIT", "ATOM")


@dataclass(frozen=True)
class Private:
    """The private unparser class and its precedence enum."""

    unparser: type
    precedence: type[enum.IntEnum]


def find_private(locations: Iterable[tuple[str, str]] = LOCATIONS) -> Private | None:
    """The first location whose class and precedences have every part the printer uses, else None."""
    for module_name, class_name in locations:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        unparser = getattr(module, class_name, None)
        precedence = getattr(module, "_Precedence", None)
        if (
            isinstance(unparser, type)
            and all(hasattr(unparser, part) for part in CLASS_PARTS)
            and isinstance(precedence, type)
            and issubclass(precedence, enum.IntEnum)
            and all(hasattr(precedence, name) for name in PRECEDENCES)
            and hasattr(precedence.TEST, "next")
        ):
            return Private(unparser, precedence)
    return None


class Place(enum.IntEnum):
    """What a place asks of the expression printed into it, when the private precedences are gone."""

    TEST = 1  # anything: a call argument, a dict value, a list item
    EXPR = 2  # the operand of `*` or `**`
    ATOM = 3  # a callee


PRIVATE = find_private()
Precedence = Place if PRIVATE is None else PRIVATE.precedence
TEST, EXPR, ATOM = Precedence.TEST, Precedence.EXPR, Precedence.ATOM

# Nodes `ast.unparse` prints so that any place takes them without parentheses.
_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Dict, ast.Set, ast.Tuple)
_ATOMS += (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.JoinedStr)
_ATOMIC_CONSTANTS = (str, bytes, bool, type(None))


def unparse(node: ast.AST, precedence: enum.IntEnum = TEST) -> str:
    """`ast.unparse(node)` as printed in a place that asks for `precedence` (an operand, a callee)."""
    if PRIVATE is None:
        return plain_unparse(node, precedence)
    unparser = PRIVATE.unparser()
    unparser._source = []
    unparser._precedences[node] = precedence
    unparser.traverse(node)
    return "".join(unparser._source)


def plain_unparse(node: ast.AST, precedence: enum.IntEnum) -> str:
    """`ast.unparse(node)`, in parentheses when its place asks more than TEST and it is not an atom."""
    text = ast.unparse(node)
    if precedence <= TEST or isinstance(node, _ATOMS):
        return text
    if isinstance(node, ast.Constant) and type(node.value) in _ATOMIC_CONSTANTS:
        return text
    return f"({text})"
