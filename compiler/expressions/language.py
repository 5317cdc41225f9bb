"""The safe expression language: parse user text, allow-list check it, inline it as AST.

Users type small Python expressions in workflow nodes (conditions, activity
arguments, items lists, loop conditions, results). We parse them with ``ast``,
keep only an allow-listed subset (docs/expressions.md is the user's guide),
and hand the compiler a checked tree to inline into generated Temporal
workflow code. User text is never passed to eval or exec; it reaches generated
code only as this checked tree, in which:

- ``a.b`` has become ``a["b"]`` (values are JSON dicts at run time, and no
  attribute of a real Python object is ever reachable);
- f-strings have become ``"text" + str(x)`` concatenations (always printable
  by ``ast.unparse`` on Python 3.11, whatever the quotes);
- calls are only of the functions in ALLOWED_BUILTINS and RUNTIME_FUNCTIONS.

Checking never raises for text input: every problem, including a syntax error
or absurd input, comes back as an ExpressionError with a 1-based column that
counts characters from the start of the text (a newline counts as one). The
allow-list itself and the pass that enforces it live in
compiler/expressions/allow_list.py; this module is the interface the compiler uses.
"""

from __future__ import annotations

import ast
import builtins
import functools
import keyword
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass

from compiler.expressions.allow_list import (
    ALLOWED_BUILTINS,
    FUNCTIONS,
    MAX_DEPTH,
    RUNTIME_FUNCTIONS,
    Checker,
    ExpressionError,
    NameUse,
    line_starts,
    name_error,
)
from vocabulary import CONTEXT_NAMES
from workflows.limits import EXPRESSION_CACHE_SIZE

__all__ = [
    "ALLOWED_BUILTINS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "RESERVED_NAMES",
    "RUNTIME_FUNCTIONS",
    "CheckedExpression",
    "ExpressionError",
    "check_expression",
    "check_identifier",
    "inline_expression",
]

MAX_LENGTH = 2000
MAX_IDENTIFIER_LENGTH = 64
_PYTHON_BRACKETS = 200  # how many brackets Python's tokenizer lets nest
_GENERATED_CODE_NAMES = frozenset(
    {"input", "self", "workflow", "state", "asyncio", "datetime", "timedelta"}
    | {"temporalio", "compiler", "RetryPolicy", "dataclass", "field"}
)
_PYTHON_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
RESERVED_NAMES = (
    frozenset(keyword.kwlist)
    | ALLOWED_BUILTINS
    | RUNTIME_FUNCTIONS
    | frozenset(CONTEXT_NAMES)
    | _GENERATED_CODE_NAMES
    | _PYTHON_BUILTINS
)


@dataclass(frozen=True)
class CheckedExpression:
    """The outcome of check_expression: an allow-listed tree or the errors found."""

    source: str
    tree: ast.expr | None
    errors: tuple[ExpressionError, ...]
    names: frozenset[str]
    functions: frozenset[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Checked:
    """What checking a text finds whatever names are in scope: its tree, its other errors, its free names."""

    tree: ast.expr | None
    errors: tuple[tuple[int, ExpressionError], ...]  # (order found, error)
    uses: tuple[NameUse, ...]
    functions: frozenset[str]


def check_expression(source: str, *, known_names: Collection[str]) -> CheckedExpression:
    """Parse and allow-list check ``source``; never raises for any str input.

    ``known_names`` are the free names the caller can resolve (workflow input,
    state variables, result variables, container context names). ``names`` of
    the result lists the ones used; ``functions`` the runtime helpers called,
    which the generated module must import from compiler.runtime.functions.
    The check of the text is shared by every place it is used (the validator,
    the emitter, the editor; see `_check`); only its free names are looked
    up in ``known_names`` each time.
    """
    checked = _check(source)
    unknown = [
        (use.order, name_error(use, known_names)) for use in checked.uses if use.called or use.name not in known_names
    ]
    names = frozenset(use.name for use in checked.uses if not use.called and use.name in known_names)
    errors = tuple(error for _, error in sorted([*checked.errors, *unknown], key=lambda found: found[1].column))
    return CheckedExpression(source, None if errors else checked.tree, errors, names, checked.functions)


@functools.lru_cache(maxsize=EXPRESSION_CACHE_SIZE)
def _check(source: str) -> _Checked:
    """The checker's findings for a text; cached, as every save and compile checks every expression.

    The tree is never changed by its users (inline_expression copies what it
    replaces), so sharing it is safe.
    """
    stripped = source.lstrip()
    if not stripped:
        return _failed(ExpressionError("expression is empty", 1))
    if len(source) > MAX_LENGTH:
        message = f"expression is longer than {MAX_LENGTH} characters ({len(source)})"
        return _failed(ExpressionError(message, MAX_LENGTH + 1))
    if "\x00" in source:
        return _failed(ExpressionError("expression must not contain NUL characters", source.index("\x00") + 1))
    lead = len(source) - len(stripped)
    try:
        parsed = _parse(stripped)
    except SyntaxError as error:
        return _failed(_syntax_error(source, stripped, lead, error))
    except ValueError as error:  # e.g. lone surrogates that cannot be encoded
        start = getattr(error, "start", 0)
        return _failed(ExpressionError("expression contains invalid characters", lead + start + 1))
    except (RecursionError, MemoryError):
        return _failed(ExpressionError("expression is too complex", 1))
    checker = Checker(source, stripped, lead)
    tree = checker.check_root(parsed.body)
    functions = frozenset(checker.functions & RUNTIME_FUNCTIONS)
    return _Checked(None if checker.errors else tree, tuple(checker.errors), tuple(checker.uses), functions)


def _parse(stripped: str) -> ast.Expression:
    """`ast.parse` in eval mode; parser warnings (invalid escapes such as "\\d") become SyntaxErrors the user sees."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return ast.parse(stripped, mode="eval")


def inline_expression(checked: CheckedExpression, resolve: Callable[[str], ast.expr]) -> ast.expr:
    """The checked tree with each free name replaced by ``resolve(name)``; function names stay plain names.

    Only the nodes above a replaced name are copied; the rest of the checked
    tree (constants, operators, name-free operands) is shared with it and
    with every other inlining of the same text, and the replacements are
    used as they are. The emitter prints the result and never changes it, and
    compiler/emit/printer.py prints a shared node as each place asks. The
    replacements carry no source locations: compile the result on its own
    only after `ast.fix_missing_locations`. Raises ValueError when the
    expression has errors: the compiler must report those instead of
    generating code.
    """
    if checked.tree is None:
        raise ValueError(f"cannot inline expression with errors: {checked.source!r}")
    return _inline(checked.tree, checked.names, resolve)


def _inline(node: ast.AST, names: frozenset[str], resolve: Callable[[str], ast.expr]) -> ast.AST:
    """`node` itself when no name to resolve is below it, else a copy with the changed fields replaced.

    A module-level function, not a recursive closure: a closure that calls
    itself is a reference cycle, which would keep every emitter context
    alive until the cyclic garbage collector runs.
    """
    kind = node.__class__
    if kind is ast.Name:
        return resolve(node.id) if node.id in names else node
    changed: dict[str, object] = {}
    for field in kind._fields:
        value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            inlined = _inline(value, names, resolve)
            if inlined is not value:
                changed[field] = inlined
        elif isinstance(value, list):
            items = [_inline(item, names, resolve) if isinstance(item, ast.AST) else item for item in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changed[field] = items
    if not changed:
        return node
    copy = kind()
    copy.__dict__.update(node.__dict__)
    copy.__dict__.update(changed)
    return copy


def check_identifier(name: str, *, what: str = "variable name") -> str | None:
    """Why ``name`` cannot be used as a variable or field name, or None if it can.

    Names must be plain ASCII identifiers so that ``input.name`` style access
    works in expressions and the name can appear as-is in generated code;
    reserved names would shadow functions, context names or generated code.
    """
    if not isinstance(name, str) or not name:
        return f"{what} is empty"
    if len(name) > MAX_IDENTIFIER_LENGTH:
        return f"{what} is longer than {MAX_IDENTIFIER_LENGTH} characters"
    if not (name.isascii() and name.isidentifier()):
        return f"{what} {name!r} must use only letters, digits and '_' and not start with a digit"
    if name.startswith("_"):
        return f"{what} {name!r} must not start with '_'"
    if keyword.iskeyword(name):
        return f"{what} {name!r} is a Python keyword; choose another name"
    if name in RESERVED_NAMES:
        return f"{what} {name!r} is reserved ({_reserved_reason(name)}); choose another name"
    return None


def _reserved_reason(name: str) -> str:
    if name in FUNCTIONS:
        return "it is an expression function"
    if name in CONTEXT_NAMES:
        return CONTEXT_NAMES[name]
    if name in _GENERATED_CODE_NAMES:
        return "it is used by the generated workflow code"
    return "it is a Python built-in"


def _failed(error: ExpressionError) -> _Checked:
    return _Checked(None, ((0, error),), (), frozenset())


def _syntax_error(source: str, stripped: str, lead: int, error: SyntaxError) -> ExpressionError:
    """SyntaxError offsets are 1-based characters within the error's line."""
    if error.msg == "too many nested parentheses":  # Python's tokenizer stops at 200 open brackets
        return ExpressionError(f"expression is nested too deeply (more than {_PYTHON_BRACKETS} brackets)", 1)
    message = error.msg if error.msg.startswith("invalid syntax") else f"syntax error: {error.msg}"
    if message == "syntax error: unexpected indent":
        message = "syntax error: unexpected indent; wrap a multi-line expression in ( )"
    hint = "write \\\\ for a backslash" if "escape sequence" in message else ""
    if not error.lineno:
        return ExpressionError(message, 1, hint)
    if error.offset == 0:  # the parser ran out of text, as in "x +"
        return ExpressionError("expression is incomplete", len(source.rstrip()) + 1, "it ends in the middle")
    starts = line_starts(stripped)
    line_start = starts[min(error.lineno, len(starts)) - 1]
    column = lead + line_start + max(error.offset or 1, 1)
    return ExpressionError(message, min(column, len(source) + 1), hint)
