"""Layout of the unparsed module: comments, long calls and blank lines.

`ast` has no comments, so the emitter places marker statements
(`__comment_<n>__`, a bare name no user text can produce: user strings are
printed by `ast.unparse` as escaped one-line literals, and user
expressions are never statements) and this pass turns each marker line
into `# <text>`. Comment text is sanitised: every character that is not
printable (newlines, carriage returns, form feeds, line and paragraph
separators, NUL, surrogates) becomes a space, so a label can never end
its comment line early.

`ast.unparse` prints every statement on one line. Lines longer than
WIDTH that hold a call are split one argument per line, recursively for
nested calls, dicts and lists; each piece is printed as `ast.unparse`
prints it, so the result is the same code (compiler/emit/printer.py
prints the module and splits; when the private unparser it builds on is
missing, `ast.unparse` prints and compiler/emit/split.py splits every long
line, see compiler/emit/unparser.py). Top-level definitions get
two blank lines around them as PEP 8 asks. Quotes stay as `ast.unparse`
prints them (single quotes); no external formatter runs, so compiling
works wherever the compiler is installed (see docs/decisions.md).
"""

from __future__ import annotations

import ast
import re

from compiler.emit import unparser as emit_unparser
from compiler.emit.split import WIDTH, split_line

MAX_COMMENT = 160
_MARKER = re.compile(r"( *)__comment_(\d+)__")
_DEFINITION = re.compile(r"( *)(@|class |def |async def )")


def sanitise_comment(text: str) -> str:
    """One line of printable text, at most MAX_COMMENT characters."""
    printable = text if text.isprintable() else "".join(c if c.isprintable() else " " for c in text)
    line = " ".join(printable.split())
    return line if len(line) <= MAX_COMMENT else line[: MAX_COMMENT - 3] + "..."


def render(module: ast.Module, comments: list[str]) -> str:
    """The module's source: `ast.unparse(module)` laid out as this module's docstring says."""
    if emit_unparser.PRIVATE is None:  # ast's private unparser moved again: print plainly, split by re-parsing
        # `ast.unparse` reads statement line numbers (for type comments), which the emitter does not set.
        return _layout(ast.unparse(ast.fix_missing_locations(module)), comments, {})
    from compiler.emit.printer import Printer  # it subclasses the private unparser

    printer = Printer()
    return _layout(printer.visit(module), comments, printer.split)


def _layout(source: str, comments: list[str], split: dict[str, str]) -> str:
    """`split` maps long lines to their split form where the printer already knows it.

    The passes below work on statements: a split statement stays one
    element, its line breaks inside, as none of its lines is a comment,
    an import or a definition.
    """
    statements: list[str] = []
    for line in source.split("\n"):
        marker = _MARKER.fullmatch(line)
        if marker:
            statements.append(f"{marker.group(1)}# {sanitise_comment(comments[int(marker.group(2))])}")
        elif len(line) > WIDTH:
            statements.append(split.get(line) or split_line(line))
        else:
            statements.append(line)
    return "\n".join(_blank_lines(_import_groups(statements))).rstrip("\n") + "\n"


def _import_groups(lines: list[str]) -> list[str]:
    """A blank line after the header comments, between standard library, temporalio and compiler imports,
    and after the imports (the rest of the module is left as it is)."""
    out: list[str] = []
    previous = None
    for index, line in enumerate(lines):
        group = _import_group(line)
        after_imports = group is None and previous not in (None, "comment") and line
        if (group is not None and previous != group and out) or after_imports:
            out.append("")
        if after_imports:
            return out + lines[index:]
        previous = group if group is not None else ("comment" if line.startswith("#") else None)
        out.append(line)
    return out


def _import_group(line: str) -> str | None:
    if not line.startswith(("from ", "import ")):
        return None
    module = line.split()[1]
    return module.split(".")[0] if module.split(".")[0] in ("temporalio", "compiler") else "stdlib"


def _spaced_defaults(definition: str) -> str:
    """`input: dict | None = None` in the compiler's own `def` lines (unparse prints `None=None`)."""
    return re.sub(r"(: [A-Za-z| ]+)=", r"\1 = ", definition) if "=" in definition else definition


def _blank_lines(lines: list[str]) -> list[str]:
    """Comments stick to the definition below them; definitions get blank lines around them.

    Two blank lines before a top-level definition, one before a method,
    none at the start of a block or between a decorator and its function.
    """
    out: list[str] = []
    decorating = False  # between a decorator (possibly over several lines) and its def / class
    for index, line in enumerate(lines):
        comment_above = line == "" and out and out[-1].lstrip().startswith("#")
        if comment_above and index + 1 < len(lines) and _DEFINITION.match(lines[index + 1]):
            continue
        definition = _DEFINITION.match(line)
        if definition:
            line = _spaced_defaults(line)
        if decorating or not definition:
            out.append(line)
            decorating = decorating and not (definition and definition.group(2) != "@")
            continue
        decorating = definition.group(2) == "@"
        indent = definition.group(1)
        start = len(out)
        while start > 0 and out[start - 1].startswith(indent + "#"):
            start -= 1
        attached = out[start:]
        del out[start:]
        while out and out[-1] == "":
            out.pop()
        if out and not out[-1].endswith(":"):
            out.extend([""] * (1 if indent else 2))
        out.extend([*attached, line])
    return out
