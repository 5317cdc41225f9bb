"""The printer's private unparser is found where Python keeps it, and without it the code is the same.

Python 3.14 moved the class behind `ast.unparse` from `ast` to
`_ast_unparse`; compiler/emit/unparser.py looks in both places. When
neither has it, `ast.unparse` prints the module and every long line is split
by re-parsing: these tests force that fallback and compare its output with
the printer's on the golden graphs and on this repository's own modules.
"""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

from compiler.emit import unparser as emit_unparser
from compiler.emit.layout import render
from compiler.emit.unparser import ATOM, EXPR, TEST, find_private, plain_unparse
from compiler.pipeline import compile_graph
from tests.compiler.documents import GOLDEN_DIR, golden_graph, golden_names

REPO = Path(__file__).resolve().parents[3]
SOURCES = sorted(path for folder in ("compiler", "workflows") for path in (REPO / folder).rglob("*.py"))[::3]


@pytest.fixture
def without_private_unparser(monkeypatch):
    """As on a Python whose private unparser is in no known place; counts the pieces printed plainly."""
    monkeypatch.setattr(emit_unparser, "PRIVATE", None)
    printed = []

    def counted(node, precedence):
        printed.append(node)
        return plain_unparse(node, precedence)

    monkeypatch.setattr(emit_unparser, "plain_unparse", counted)
    return printed


def test_this_python_has_the_private_unparser():
    assert emit_unparser.PRIVATE is not None
    assert emit_unparser.PRIVATE.unparser().visit(ast.parse("f(a, *b)")) == "f(a, *b)"


def test_the_class_is_found_in_the_module_it_moved_to(monkeypatch):
    private = emit_unparser.PRIVATE
    moved = types.SimpleNamespace(Unparser=private.unparser, _Precedence=private.precedence)
    monkeypatch.setitem(sys.modules, "_ast_unparse", moved)
    found = find_private([("ast", "_NoLongerHere"), ("_ast_unparse", "Unparser")])
    assert found == emit_unparser.Private(private.unparser, private.precedence)


def test_a_class_without_the_parts_the_printer_reads_is_not_used(monkeypatch):
    monkeypatch.setitem(sys.modules, "_ast_unparse", types.SimpleNamespace(Unparser=object, _Precedence=TEST.__class__))
    assert find_private([("no_such_module_anywhere", "Unparser"), ("_ast_unparse", "Unparser")]) is None


@pytest.mark.parametrize("name", golden_names())
def test_generated_modules_are_the_same_without_it(name, without_private_unparser):
    source = compile_graph(golden_graph(name)).source
    compile(source, f"{name}.py", "exec")
    assert source == (GOLDEN_DIR / f"{name}.py").read_text()


def test_the_fallback_splits_long_lines_itself(without_private_unparser):
    """The golden modules above are equal because split_line printed their long calls, not the printer."""
    compile_graph(golden_graph("activity_sequence"))
    assert without_private_unparser, "no long line was split through ast.unparse"


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(REPO)))
def test_real_modules_lay_out_the_same_without_it(path, monkeypatch):
    tree = ast.parse(path.read_text())
    expected = render(tree, [])
    monkeypatch.setattr(emit_unparser, "PRIVATE", None)
    assert render(tree, []) == expected


def _expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


@pytest.mark.parametrize(
    ("text", "precedence", "printed"),
    [
        ("a or b", ATOM, "(a or b)"),  # a callee: (a or b)(x)
        ("a + b", EXPR, "(a + b)"),  # `**(a + b)`: the private printer leaves these parentheses out
        ("a or b", TEST, "a or b"),  # an argument
        ("f(x).y[0]", ATOM, "f(x).y[0]"),
        ("'text'", ATOM, "'text'"),
        ("-1", ATOM, "(-1)"),
    ],
)
def test_plain_pieces_get_parentheses_where_their_place_needs_them(text, precedence, printed):
    assert plain_unparse(_expression(text), precedence) == printed
