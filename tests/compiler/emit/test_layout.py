"""The printer splits long statements from their trees exactly as re-parsing each printed line would.

`render` prints the module once and splits each long one-line statement
from its `ast` tree; `split_line` (compiler/emit/split.py) is the
original way (re-parse the printed line, print each piece again), still
used for the lines the printer leaves to it. Both must give the same bytes
for any tree, so these tests lay out real modules (this repository's own
code: long calls, f-strings, nested dicts and lists) both ways.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from compiler.emit.layout import _layout, render

REPO = Path(__file__).resolve().parents[3]
SOURCES = sorted(
    path for folder in ("compiler", "workflows", "tests/compiler") for path in (REPO / folder).rglob("*.py")
)


def _by_reparsing(tree: ast.Module) -> str:
    return _layout(ast.unparse(tree), [], {})


@pytest.mark.parametrize("path", SOURCES[::4], ids=lambda path: str(path.relative_to(REPO)))
def test_real_modules_lay_out_as_by_reparsing(path):
    tree = ast.parse(path.read_text())
    assert render(tree, []) == _by_reparsing(tree)


def test_a_node_shared_between_places_prints_as_each_place_asks():
    """The emitter shares the trees of repeated expressions: parentheses follow the place, not the first use."""
    total = ast.BinOp(ast.Name("a"), ast.Add(), ast.Name("b"))
    first = ast.Assign([ast.Name("x", ast.Store())], ast.Attribute(total, "real"))
    long_text = ast.Constant("x" * 90)
    call = ast.Call(ast.Name("record"), [long_text, total], [ast.keyword("note", ast.Constant("y"))])
    second = ast.Assign([ast.Subscript(ast.Name("z"), total, ast.Store())], call)
    source = render(ast.Module([first, second], []), [])
    assert source.startswith("x = (a + b).real\nz[a + b] = record(\n")
    assert "    a + b,\n" in source
    unshared = ast.parse("x = (a + b).real\nz[a + b] = record('" + "x" * 90 + "', a + b, note='y')")
    assert ast.dump(ast.parse(source)) == ast.dump(unshared)


def test_text_that_does_not_parse_back_is_left_to_reparsing():
    """A constant holding a list prints as a list literal, which the reparsed line splits: the printer must agree."""
    call = ast.Call(ast.Name("keep"), [ast.Constant([1, 2, 3] * 20)], [ast.keyword("label", ast.Constant("z" * 30))])
    tree = ast.fix_missing_locations(ast.Module([ast.Expr(call)], []))
    assert render(tree, []) == _by_reparsing(tree)


def test_a_long_dict_is_split_and_an_unpacked_operand_keeps_its_parentheses():
    """`**(a or b)` needs its parentheses on its own line too (printed alone it would read `**a or b`)."""
    entries = [ast.Constant(f"field_{index}") for index in range(8)]
    fallback = ast.BoolOp(ast.Or(), [ast.Name("given"), ast.Dict([], [])])
    value = ast.Dict([*entries, None], [*[ast.Constant("default") for _ in entries], fallback])
    tree = ast.fix_missing_locations(ast.Module([ast.Assign([ast.Name("merged", ast.Store())], value)], []))
    source = render(tree, [])
    assert source.startswith("merged = {\n    'field_0': 'default',\n")
    assert "    **(given or {}),\n}\n" in source
    assert source == _by_reparsing(tree)
    assert ast.dump(ast.parse(source)) == ast.dump(ast.parse(ast.unparse(tree)))
