"""The printer prints exactly what `ast.unparse` prints, and splits each long statement as `split_line` would.

Its own expression printing (names, constants, attributes, calls,
subscripts, lists, dicts, `await`, the operators, with precedences passed
down) and the visit lookup must not change a byte: these tests print real
modules (this repository's code) both ways, and compare every split it
made with re-parsing the printed line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from compiler.emit.printer import Printer, Unparser
from compiler.emit.split import split_line

REPO = Path(__file__).resolve().parents[3]
SOURCES = sorted(
    path for folder in ("compiler", "workflows", "projects", "tests") for path in (REPO / folder).rglob("*.py")
)[::3]


@pytest.fixture(params=SOURCES, ids=lambda path: str(path.relative_to(REPO)))
def tree(request) -> ast.Module:
    return ast.parse(request.param.read_text(), type_comments=True)


def test_prints_what_ast_unparse_prints(tree):
    expected = ast.unparse(tree)
    assert Unparser().visit(tree) == expected
    assert Printer().visit(tree) == expected


def test_each_split_is_the_split_of_the_reparsed_line(tree):
    printer = Printer()
    printer.visit(tree)
    for line, split in printer.split.items():
        assert split == split_line(line)


def test_a_tree_without_locations_prints_like_the_located_tree():
    """The emitter skips ast.fix_missing_locations; statements with type comments still print them."""
    assign = ast.Assign([ast.Name("x", ast.Store())], ast.Constant(1), type_comment="int")
    function = ast.FunctionDef("f", ast.arguments([], [], None, [], [], None, []), [assign], [], None)
    unlocated = ast.Module([function], [])
    printed = Unparser().visit(unlocated)
    assert printed == ast.unparse(ast.fix_missing_locations(unlocated))
    assert "x = 1 # type: int" in printed
