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

The cuts rely on how compiler/emit/layout.py lays out `run`: its body is
indented eight spaces, strings are printed on one line, and a line
indented exactly eight spaces either starts a top-level statement or
continues one (`else:`, `elif`, `except`, `finally:`, or the closing
bracket of a call split over several lines).

The check works on the bytes that will be written to disk and imported
(`module_bytes`), not on the text: Python decodes a module file by the
encoding declared in its first two lines (PEP 263), so text that compiles
could decode into other code on import (a `coding: utf-7` line turns
`+AAo-` into a newline). A module that Python would not read as UTF-8 is
refused before anything compiles or imports it.
"""

from __future__ import annotations

import io
import re
import tokenize

PIECE_LINES = 200
_RUN = b"    async def run("
_BODY = b" " * 8
# A line of run's body that starts one of its top-level statements (code, not a comment or a continuation).
_STATEMENT_START = re.compile(rb" {8}(?!else:|elif |except[ :]|finally:|[)\]}#\s])")


class ModuleEncodingError(ValueError):
    """A module Python would not read as UTF-8 (another encoding declared, a BOM, text with no UTF-8 form)."""


def module_bytes(source: str) -> bytes:
    """The bytes a generated module is written and imported as; raises ModuleEncodingError unless read as UTF-8."""
    try:
        data = source.encode("utf-8")
    except UnicodeEncodeError as problem:
        raise ModuleEncodingError(f"the module has no UTF-8 encoding ({problem.reason})") from None
    check_encoding(data)
    return data


def check_encoding(data: bytes) -> None:
    """Raise ModuleEncodingError unless Python reads these bytes as plain UTF-8 (PEP 263, no BOM)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as problem:  # an unknown codec, or a declaration that contradicts a BOM
        raise ModuleEncodingError(f"Python would not read the module as UTF-8: {problem}") from None
    if encoding != "utf-8":
        raise ModuleEncodingError(f"Python would read the module as {encoding}, not UTF-8")


def check_compiles(data: bytes, filename: str) -> None:
    """Compile the module's bytes as an import reads them.

    Raises ModuleEncodingError for a module not read as UTF-8, SyntaxError as `compile` does.
    """
    check_encoding(data)
    lines = data.split(b"\n")
    start = next((index + 1 for index, line in enumerate(lines) if line.startswith(_RUN)), None)
    if start is None:
        compile(data, filename, "exec", dont_inherit=True)
        return
    end = start
    while end < len(lines) and (lines[end].startswith(_BODY) or not lines[end].strip()):
        end += 1
    outline = [*lines[:start], _BODY + b"pass", *lines[end:]]
    compile(b"\n".join(outline), filename, "exec", dont_inherit=True)
    for piece in _pieces(lines[start:end]):  # line 1 is code, so no line of a piece can declare an encoding
        compile(b"async def run():\n" + b"\n".join(piece), filename, "exec", dont_inherit=True)


def _pieces(body: list[bytes]) -> list[list[bytes]]:
    pieces: list[list[bytes]] = [[]]
    for line in body:
        if len(pieces[-1]) >= PIECE_LINES and _STATEMENT_START.match(line):
            pieces.append([])
        pieces[-1].append(line)
    return pieces
