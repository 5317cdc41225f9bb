"""Checking that a generated module compiles, with `run` compiled in pieces.

CPython's compiler takes time that grows faster than the size of one
function: compiling a 5,000-statement function from its tree took twelve
times as long as a 1,000-statement one here, and parsing one large text
nearly seven times as long. A workflow's `run` is one long function (the
whole graph), so `check_compiles` compiles its body in pieces of about
PIECE_LINES lines, each cut just before one of the body's top-level
statements and wrapped in an `async def` of its own, and the rest of the
module once with `run`'s body replaced by `pass`. Every line is still
compiled, as the body of an async function like `run` (so `await` and
`return` mean what they mean there, and each statement's blocks nest as
deep as they do in `run`); only the line numbers in an error differ.

The cuts rely on how compiler/emit_layout.py lays out `run`: its body is
indented eight spaces, strings are printed on one line, and a line
indented exactly eight spaces either starts a top-level statement or
continues one (`else:`, `elif`, `except`, `finally:`, or the closing
bracket of a call split over several lines).
"""

from __future__ import annotations

import re

PIECE_LINES = 200
_RUN = "    async def run("
_BODY = " " * 8
# A line of run's body that starts one of its top-level statements (code, not a comment or a continuation).
_STATEMENT_START = re.compile(r" {8}(?!else:|elif |except[ :]|finally:|[)\]}#\s])")


def check_compiles(source: str, filename: str) -> None:
    """Compile the module (raises SyntaxError as `compile` does)."""
    lines = source.split("\n")
    start = next((index + 1 for index, line in enumerate(lines) if line.startswith(_RUN)), None)
    if start is None:
        compile(source, filename, "exec", dont_inherit=True)
        return
    end = start
    while end < len(lines) and (lines[end].startswith(_BODY) or not lines[end].strip()):
        end += 1
    outline = [*lines[:start], _BODY + "pass", *lines[end:]]
    compile("\n".join(outline), filename, "exec", dont_inherit=True)
    for piece in _pieces(lines[start:end]):
        compile("async def run():\n" + "\n".join(piece), filename, "exec", dont_inherit=True)


def _pieces(body: list[str]) -> list[list[str]]:
    pieces: list[list[str]] = [[]]
    for line in body:
        if len(pieces[-1]) >= PIECE_LINES and _STATEMENT_START.match(line):
            pieces.append([])
        pieces[-1].append(line)
    return pieces
