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
prints it, so the result is the same code. Top-level definitions get
two blank lines around them as PEP 8 asks. Quotes stay as `ast.unparse`
prints them (single quotes); no external formatter runs, so compiling
works wherever the compiler is installed (see docs/decisions.md).
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable

WIDTH = 100
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
    printer = _Printer()
    return _layout(printer.visit(module), comments, printer.split)


def _layout(source: str, comments: list[str], split: dict[str, str]) -> str:
    """`split` maps long lines to their split form where the printer already knows it."""
    lines: list[str] = []
    for line in source.split("\n"):
        marker = _MARKER.fullmatch(line)
        if marker:
            lines.append(f"{marker.group(1)}# {sanitise_comment(comments[int(marker.group(2))])}")
        elif len(line) > WIDTH:
            lines.extend((split.get(line) or _wrap(line)).split("\n"))
        else:
            lines.append(line)
    return "\n".join(_blank_lines(_import_groups(lines))).rstrip("\n") + "\n"


def _import_groups(lines: list[str]) -> list[str]:
    """A blank line after the header comments and between standard library, temporalio and compiler imports."""
    out: list[str] = []
    previous = None
    for line in lines:
        group = _import_group(line)
        if group is not None and previous != group and out:
            out.append("")
        previous = group if group is not None else ("comment" if line.startswith("#") else None)
        out.append(_spaced_defaults(line))
    return out


def _import_group(line: str) -> str | None:
    if not line.startswith(("from ", "import ")):
        return None
    module = line.split()[1]
    return module.split(".")[0] if module.split(".")[0] in ("temporalio", "compiler") else "stdlib"


def _spaced_defaults(line: str) -> str:
    """`input: dict | None = None` in the compiler's own `def` lines (unparse prints `None=None`)."""
    if not _DEFINITION.match(line) or "=" not in line:
        return line
    return re.sub(r"(: [A-Za-z| ]+)=", r"\1 = ", line)


def _blank_lines(lines: list[str]) -> list[str]:
    """Comments stick to the definition below them; definitions get blank lines around them.

    Two blank lines before a top-level definition, one before a method,
    none at the start of a block or between a decorator and its function.
    """
    out: list[str] = []
    decorating = False  # between a decorator (possibly over several lines) and its def / class
    for index, line in enumerate(lines):
        comment_above = out and out[-1].lstrip().startswith("#")
        if line == "" and comment_above and index + 1 < len(lines) and _DEFINITION.match(lines[index + 1]):
            continue
        definition = _DEFINITION.match(line)
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


def _wrap(line: str) -> str:
    """A long line split by re-parsing it: for lines the printer did not split (decorators, rare cases)."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    text = line[len(indent) :]
    if text.startswith("@"):  # a decorator: wrap its call
        return indent + "@" + _wrap(indent + text[1:])[len(indent) :]
    try:
        statement = ast.parse(text).body[0]
    except SyntaxError:  # a compound statement's header such as `if ...:`
        return line
    target = getattr(statement, "value", None)
    while isinstance(target, (ast.Await, ast.Subscript, ast.Attribute)):
        target = target.value
    if not isinstance(target, ast.Call):
        return line
    encoded = text.encode("utf-8")
    prefix = encoded[: target.col_offset].decode("utf-8")
    suffix = encoded[target.end_col_offset :].decode("utf-8")
    return indent + prefix + _render(target, indent, WIDTH - len(indent) - len(prefix)) + suffix


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


# Splitting from the tree. Re-parsing every long line and printing each piece
# again cost more than printing the module; instead the printer keeps the
# statement each long line came from and prints that statement once more,
# alone, noting where each sub-expression's text starts and ends. The pieces
# are then exactly the text `_wrap` would print after re-parsing the line,
# because:
# - a piece is only taken from the notes where no parent asked for
#   parentheses (call arguments, keyword values, dict keys and values, list
#   items), and there `ast.unparse` prints a node as it prints it alone;
# - the statement printed alone must equal the line (no shared node printed
#   differently in the module), and every node in it must print as text that
#   parses back to the same tree; otherwise the line is left to `_wrap`.
_SAFE_CONSTANTS = (str, bytes, bool, int, type(None), type(...))
_REPR_CONSTANTS = (str, int, bool, type(None))  # printed as repr() (floats and tuples have special cases)
_ATOM = ast._Precedence.ATOM
_MAX_DEPTH = 100  # the parser refuses lines nested deeper than 200 brackets
_NAME_FIELDS = {ast.Name: "id", ast.Attribute: "attr", ast.keyword: "arg", ast.arg: "arg"}


class _Unparser(ast._Unparser):  # ast.unparse(tree) is ast._Unparser().visit(tree)
    """`ast.unparse`, printing the same text a little faster, for trees without locations.

    The emitter does not compute locations (only `get_type_comment` read
    them). The nodes every workflow is made of (names, attributes,
    constants, calls, keywords) are printed as `ast._Unparser` prints them,
    without its per-node context managers and enum lookups; anything else
    goes to the standard methods.
    """

    def get_type_comment(self, node: ast.stmt) -> str | None:
        if self._type_ignores:  # only set by `# type: ignore` comments of parsed source
            return super().get_type_comment(node)
        return None if node.type_comment is None else f" # type: {node.type_comment}"

    def traverse(self, node: ast.AST | list) -> None:
        if isinstance(node, list):
            for item in node:
                self.traverse(item)
        else:
            getattr(self, "visit_" + node.__class__.__name__, self.generic_visit)(node)

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


class _Printer(_Unparser):
    """`ast.unparse` that also splits its long one-line statements (see above)."""

    def __init__(self, **options: bool) -> None:  # f-strings print their parts with type(self)(**options)
        super().__init__(**options)
        self.split: dict[str, str] = {}

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
        start = len(self._source)
        print_statement(node)
        line = "".join(self._source[start:]).lstrip("\n")
        if len(line) > WIDTH and "\n" not in line and line not in self.split:
            split = _split_statement(node, line)
            if split is not None:
                self.split[line] = split


class _Recorder(_Unparser):
    """Prints one statement alone, noting each node's text and whether the statement can be split from the tree."""

    def __init__(self, **options: bool) -> None:  # f-strings print their parts with type(self)(**options)
        super().__init__(**options)
        self.spans: dict[ast.AST, tuple[list[str], int, int]] = {}
        self.safe = True
        self._depth = 0

    def traverse(self, node: ast.AST | list) -> None:
        if isinstance(node, list):
            super().traverse(node)
            return
        self._depth += 1
        self.safe = self.safe and node not in self.spans and self._depth <= _MAX_DEPTH and _round_trips(node)
        unparenthesised = isinstance(node, (ast.Call, ast.Dict, ast.List)) or node not in self._precedences
        source, start = self._source, len(self._source)
        super().traverse(node)
        self._depth -= 1
        if unparenthesised:
            self.spans[node] = (source, start, len(source))

    def flat(self, node: ast.AST) -> str:
        """`ast.unparse(node)`, from the notes when they hold it."""
        if node not in self.spans:
            return ast.unparse(node)
        source, start, end = self.spans[node]
        return "".join(source[start:end])


def _round_trips(node: ast.AST) -> bool:
    """Whether the node prints as text that parses back to the same kind of node."""
    if isinstance(node, ast.Constant):
        value = node.value
        return isinstance(value, _SAFE_CONSTANTS) or (type(value) is float and math.isfinite(value))
    if isinstance(node, (ast.JoinedStr, ast.FormattedValue)):
        return False
    name = getattr(node, _NAME_FIELDS[type(node)], None) if type(node) in _NAME_FIELDS else None
    return name is None or (name.isascii() and name.isidentifier() and not keyword.iskeyword(name))


def _split_statement(node: ast.stmt, line: str) -> str | None:
    """What `_wrap(line)` returns for the line `node` printed as, or None to leave the line to `_wrap`."""
    target = getattr(node, "value", None)
    while isinstance(target, (ast.Await, ast.Subscript, ast.Attribute)):
        target = target.value
    if not isinstance(target, ast.Call):
        return None
    recorder = _Recorder()
    try:
        text = recorder.visit(node)
    except RecursionError:  # the recorder nests a little deeper than ast.unparse
        return None
    indent = line[: len(line) - len(text)]
    if not recorder.safe or indent + text != line or indent.strip(" ") or target not in recorder.spans:
        return None
    source, start, end = recorder.spans[target]
    prefix, suffix = "".join(source[:start]), "".join(source[end:])
    return indent + prefix + _render(target, indent, WIDTH - len(indent) - len(prefix), recorder.flat) + suffix
