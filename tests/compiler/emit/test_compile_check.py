"""The compile check compiles every line of a generated module, `run`'s body in pieces.

CPython compiles one huge function in time that grows faster than its
size, so compiler/emit/compile_check.py cuts `run`'s body before top-level
statements; these tests make sure no line escapes the check and that the
cuts never split a statement.
"""

from __future__ import annotations

import pytest

from benchmarks.compile_scaling import build_graph
from compiler.emit import compile_check
from compiler.emit.compile_check import check_compiles
from compiler.pipeline import compile_graph


@pytest.fixture(scope="module")
def source() -> str:
    """A module whose `run` is many pieces long (phases, conditions with else branches, split calls)."""
    return compile_graph(build_graph(300)).source


def _run_body(source: str) -> list[str]:
    lines = source.split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("    async def run(")) + 1
    end = next(index for index in range(start, len(lines)) if lines[index].strip() and lines[index][:8] != " " * 8)
    return lines[start:end]


def test_run_is_cut_into_pieces_that_put_back_together_make_the_body(source):
    body = [line.encode() for line in _run_body(source)]
    pieces = compile_check._pieces(body)
    assert len(pieces) >= 5
    assert [line for piece in pieces for line in piece] == body
    for piece in pieces[1:]:
        assert piece[0].startswith(b" " * 8) and piece[0][8:9] not in (b" ", b")", b"#")
    check_compiles(source.encode(), "<test>")


@pytest.mark.parametrize("where", [0.1, 0.5, 0.95])
def test_a_broken_line_anywhere_in_run_is_reported(source, where):
    body = _run_body(source)
    index = int(len(body) * where)
    while body[index].lstrip().startswith("#"):  # a comment would swallow the damage
        index += 1
    broken = source.replace("\n" + body[index] + "\n", "\n" + body[index] + " ]]\n", 1)
    assert broken != source
    with pytest.raises(SyntaxError):
        check_compiles(broken.encode(), "<test>")


def test_a_broken_line_outside_run_is_reported(source):
    broken = source.replace("    def query_progress(self) -> dict:", "    def query_progress(self) -> dict", 1)
    assert broken != source
    with pytest.raises(SyntaxError):
        check_compiles(broken.encode(), "<test>")


def test_await_outside_an_async_context_would_still_be_caught():
    """The pieces run as the body of an `async def`, as `run` does; a module without `run` compiles whole."""
    check_compiles(b"x = 1\n", "<test>")
    with pytest.raises(SyntaxError):
        check_compiles(b"def f():\n    await g()\n", "<test>")
