"""The allow-list of the expression language and the pass that enforces it.

``Checker`` walks a tree from ``ast.parse`` and rebuilds only what the
language allows (see docs/expressions.md), recording an ExpressionError for
everything else. The public entry points live in compiler/expressions/language.py;
this module is the part that decides what is safe, kept apart so the rules
can be read in one place.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

MAX_DEPTH = 50

ALLOWED_BUILTINS = frozenset(
    {"len", "min", "max", "sum", "any", "all", "sorted"} | {"str", "int", "float", "bool", "range", "abs", "round"}
)
RUNTIME_FUNCTIONS = frozenset({"keys", "values", "items", "get", "lower", "upper", "join"})
FUNCTIONS = ALLOWED_BUILTINS | RUNTIME_FUNCTIONS
# Positional argument counts (min, max); None means any number.
_ARITY: dict[str, tuple[int, int | None]] = {
    "len": (1, 1), "min": (1, None), "max": (1, None), "sum": (1, 2), "any": (1, 1),
    "all": (1, 1), "sorted": (1, 1), "str": (1, 1), "int": (1, 2), "float": (1, 1),
    "bool": (1, 1), "range": (1, 3), "abs": (1, 1), "round": (1, 2), "keys": (1, 1),
    "values": (1, 1), "items": (1, 1), "get": (2, 3), "lower": (1, 1), "upper": (1, 1),
    "join": (2, 2),
}  # fmt: skip
# Keyword arguments are allowed only where they cannot run user code (no key=).
_KEYWORDS = {"sorted": {"reverse"}, "min": {"default"}, "max": {"default"}}
_REJECTED_OPERATORS = {
    ast.Pow: ("**", "'**' is not allowed because results can be huge; multiply instead"),
    ast.LShift: ("<<", "bitwise operator '<<' is not allowed"),
    ast.RShift: (">>", "bitwise operator '>>' is not allowed"),
    ast.BitAnd: ("&", "bitwise operator '&' is not allowed; use 'and'"),
    ast.BitOr: ("|", "bitwise operator '|' is not allowed; use 'or'"),
    ast.BitXor: ("^", "bitwise operator '^' is not allowed"),
    ast.MatMult: ("@", "operator '@' is not allowed"),
}
_COMPREHENSION = "only list and dict comprehensions are allowed: [x for x in ...], {k: v for k, v in items(...)}"
_REJECTED_NODES = {
    ast.Lambda: "lambda is not allowed",
    ast.SetComp: _COMPREHENSION,
    ast.GeneratorExp: _COMPREHENSION,
    ast.NamedExpr: "assignment expressions (:=) are not allowed",
    ast.Starred: "star unpacking (*x) is not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "slices (a:b) are only allowed directly inside [ ]",
}
_SINGLETONS = (None, True, False)
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ExpressionError:
    """A problem in an expression, pinned to a 1-based column of its text."""

    message: str
    column: int
    hint: str = ""


@dataclass(frozen=True)
class NameUse:
    """A free name in an expression: whether it is allowed depends on the names in scope where it is used.

    `order` places the error it may cause among the checker's other errors
    (errors at the same column are reported in the order they were found).
    """

    name: str
    column: int
    called: bool  # `name(...)`: always an error, worded by whether the name is a variable
    order: int


def suggest(name: str, candidates: Collection[str]) -> str:
    """A hint for a name that is not available: the closest candidate, or the ones there are."""
    visible = sorted(candidate for candidate in candidates if not candidate.startswith("_"))
    close = difflib.get_close_matches(name, visible, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    if not visible:
        return "no names are available here"
    shown = ", ".join(visible[:12]) + (", ..." if len(visible) > 12 else "")
    return f"available: {shown}"


def name_error(use: NameUse, known_names: Collection[str]) -> ExpressionError:
    """The error a name use causes where `known_names` are in scope (callers skip the known, uncalled ones)."""
    if use.called and use.name in known_names:
        return ExpressionError(f"{use.name!r} is a variable, not a function", use.column)
    if use.called:
        return ExpressionError(f"{use.name!r} is not an allowed function", use.column, suggest(use.name, FUNCTIONS))
    return ExpressionError(f"unknown name {use.name!r}", use.column, suggest(use.name, known_names))


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts, splitting as Python's tokenizer does."""
    return [0] + [match.end() for match in _NEWLINE.finditer(text)]


def local_name(name: str) -> str:
    """A comprehension's variable in the checked tree: `x` becomes `_x`.

    User names never start with `_`, and neither do the names the resolver
    puts in (`self.state.x`, `retry_build.attempt`): so the variable can
    neither hide a name the expression reads nor be replaced when one of
    them is inlined (`[count for count in count]` reads the state variable
    once, as the list, and the item inside).
    """
    return "_" + name


def _is_singleton(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is value for value in _SINGLETONS)


def _is_identity_check(left: ast.expr, right: ast.expr) -> bool:
    """``x is None`` style: one side a singleton, the other not a literal (CPython warns on those)."""
    literals = (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr)
    sides = [left, right]
    return any(map(_is_singleton, sides)) and all(
        _is_singleton(side) or not isinstance(side, literals) for side in sides
    )


class Checker:
    """One pass over a parsed expression: rebuilds allowed nodes, records errors and free names.

    Each ``_check_<NodeType>`` method returns the rebuilt node (attribute sugar
    and f-strings converted) or None; the tree is only used when no error was
    recorded. Recursion stops at MAX_DEPTH, so absurd nesting cannot exhaust
    the interpreter's stack. Nothing here depends on the names in scope: free
    names are recorded as `uses`, and compiler/expressions/language.py reports the
    ones not in scope, so one check of a text serves every place it is used.
    """

    def __init__(self, source: str, stripped: str, lead: int):
        self.source = source
        self.stripped = stripped
        self.lead = lead
        self.line_starts = line_starts(stripped)
        self.errors: list[tuple[int, ExpressionError]] = []  # (order found, error)
        self.uses: list[NameUse] = []
        self.functions: set[str] = set()
        self.too_deep = False
        # Variables of the comprehension being checked (one at a time: they do not nest).
        self.local_names: frozenset[str] = frozenset()

    def check_root(self, node: ast.expr) -> ast.expr | None:
        start = self.offset(node)
        if isinstance(node, ast.Tuple) and self.source[start : start + 1] != "(":
            self.error(node, "only one expression is allowed; write a list as [a, b]")
            return None
        return self.check(node, 1)

    def offset(self, node: ast.AST, end: bool = False) -> int:
        """0-based character offset in the source; ast positions are UTF-8 byte columns."""
        lineno, byte_column = (node.end_lineno, node.end_col_offset) if end else (node.lineno, node.col_offset)
        line_start = self.line_starts[min(lineno or 1, len(self.line_starts)) - 1]
        line = self.stripped[line_start:].encode("utf-8", "surrogatepass")[: byte_column or 0]
        return self.lead + line_start + len(line.decode("utf-8", "ignore"))

    def error(self, node: ast.AST | int, message: str, hint: str = "") -> None:
        column = node if isinstance(node, int) else self.offset(node) + 1
        self.errors.append((self._order(), ExpressionError(message, column, hint)))

    def use(self, node: ast.Name, called: bool) -> None:
        self.uses.append(NameUse(node.id, self.offset(node) + 1, called, self._order()))

    def _order(self) -> int:
        return len(self.errors) + len(self.uses)

    def check(self, node: ast.expr, depth: int) -> ast.expr | None:
        if depth > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.error(node, f"expression is nested too deeply (more than {MAX_DEPTH} levels)")
            return None
        rejected = _REJECTED_NODES.get(type(node))
        method = getattr(self, f"_check_{type(node).__name__}", None)
        if rejected or method is None:
            self.error(node, rejected or f"{type(node).__name__} is not allowed in expressions")
            return None
        new = method(node, depth + 1)
        return None if new is None else ast.copy_location(new, node)

    def check_all(self, nodes: list[ast.expr], depth: int) -> list[ast.expr | None]:
        return [self.check(node, depth) for node in nodes]

    def _check_Constant(self, node: ast.Constant, depth: int) -> ast.expr | None:
        if node.value is None or type(node.value) in (bool, int, float, str):
            return ast.Constant(node.value)
        what = {bytes: "bytes literals are", complex: "complex numbers are"}.get(type(node.value), "'...' is")
        self.error(node, what + " not allowed")
        return None

    def _check_Name(self, node: ast.Name, depth: int) -> ast.expr | None:
        name = node.id
        if name.startswith("_"):
            self.error(node, f"names starting with '_' are not allowed: {name!r}")
        elif name in FUNCTIONS:
            self.error(node, f"function {name!r} can only be called", hint=f"write {name}(...)")
        elif name in self.local_names:
            return ast.Name(local_name(name), ast.Load())
        else:
            self.use(node, called=False)
            return ast.Name(name, ast.Load())
        return None

    def _check_Attribute(self, node: ast.Attribute, depth: int) -> ast.expr | None:
        value = self.check(node.value, depth)
        attribute_column = self.offset(node, end=True) - len(node.attr) + 1
        if node.attr.startswith("_"):
            self.error(attribute_column, f"attributes starting with '_' are not allowed: {node.attr!r}")
            return None
        if not node.attr.isascii():
            hint = f"write [{node.attr!r}] instead"
            self.error(attribute_column, f"attribute {node.attr!r} must be plain ASCII", hint=hint)
            return None
        return self.subscript(node, value, ast.copy_location(ast.Constant(node.attr), node))

    def _check_Subscript(self, node: ast.Subscript, depth: int) -> ast.expr | None:
        value = self.check(node.value, depth)
        if isinstance(node.slice, ast.Slice):
            bounds = [node.slice.lower, node.slice.upper, node.slice.step]
            lower, upper, step = (None if bound is None else self.check(bound, depth) for bound in bounds)
            index = ast.copy_location(ast.Slice(lower, upper, step), node.slice)
        else:
            index = self.check(node.slice, depth)
        return self.subscript(node, value, index)

    def subscript(self, node: ast.expr, value: ast.expr | None, index: ast.expr | None) -> ast.expr | None:
        """``value[index]``, unless both are literals that can never be indexed that way.

        These are the cases CPython's compiler flags with a SyntaxWarning; they
        always fail at run time, so the user hears about them now.
        """
        if isinstance(value, ast.Set) or (isinstance(value, ast.Constant) and not isinstance(value.value, str)):
            self.error(node, "numbers, None, True, False and sets cannot be indexed")
            return None
        literal_index = isinstance(index, (ast.List, ast.Tuple, ast.Dict, ast.Set)) or (
            isinstance(index, ast.Constant) and not isinstance(index.value, int)
        )
        if isinstance(value, (ast.Constant, ast.List, ast.Tuple)) and literal_index:
            self.error(node, "text, lists and tuples can only be indexed by whole numbers or slices")
            return None
        return ast.Subscript(value, index, ast.Load())

    def _check_List(self, node: ast.List, depth: int) -> ast.expr | None:
        return ast.List(self.check_all(node.elts, depth), ast.Load())

    def _check_Tuple(self, node: ast.Tuple, depth: int) -> ast.expr | None:
        return ast.Tuple(self.check_all(node.elts, depth), ast.Load())

    def _check_Set(self, node: ast.Set, depth: int) -> ast.expr | None:
        return ast.Set(self.check_all(node.elts, depth))

    def _check_Dict(self, node: ast.Dict, depth: int) -> ast.expr | None:
        if any(key is None for key in node.keys):
            self.error(node, "'**' unpacking is not allowed")
            return None
        return ast.Dict(self.check_all(node.keys, depth), self.check_all(node.values, depth))

    def _check_BoolOp(self, node: ast.BoolOp, depth: int) -> ast.expr | None:
        return ast.BoolOp(node.op, self.check_all(node.values, depth))

    def _check_UnaryOp(self, node: ast.UnaryOp, depth: int) -> ast.expr | None:
        if isinstance(node.op, ast.Invert):
            self.error(node, "bitwise operator '~' is not allowed")
            return None
        return ast.UnaryOp(node.op, self.check(node.operand, depth))

    def _check_BinOp(self, node: ast.BinOp, depth: int) -> ast.expr | None:
        left = self.check(node.left, depth)
        right = self.check(node.right, depth)
        if type(node.op) in _REJECTED_OPERATORS:
            symbol, message = _REJECTED_OPERATORS[type(node.op)]
            between = self.source[self.offset(node.left, end=True) : self.offset(node.right)]
            found = between.find(symbol)
            column = self.offset(node.left, end=True) + found + 1 if found >= 0 else self.offset(node) + 1
            self.error(column, message)
            return None
        if isinstance(node.op, ast.Mod) and isinstance(node.left, (ast.Constant, ast.JoinedStr)):
            self.error(node, "'%' string formatting is not allowed", hint="use an f-string or str() and +")
            return None
        return ast.BinOp(left, node.op, right)

    def _check_Compare(self, node: ast.Compare, depth: int) -> ast.expr | None:
        left = self.check(node.left, depth)
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            pair = operands[index : index + 2]
            if isinstance(op, (ast.Is, ast.IsNot)) and not _is_identity_check(*pair):
                word = "is" if isinstance(op, ast.Is) else "is not"
                hint = "use == or != to compare values"
                self.error(pair[1], f"'{word}' only compares a value with None, True or False", hint=hint)
        return ast.Compare(left, node.ops, self.check_all(node.comparators, depth))

    def _check_IfExp(self, node: ast.IfExp, depth: int) -> ast.expr | None:
        test, body, orelse = self.check_all([node.test, node.body, node.orelse], depth)
        return ast.IfExp(test, body, orelse)

    def _check_Call(self, node: ast.Call, depth: int) -> ast.expr | None:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        args = self.check_all(node.args, depth)
        keywords = [self.check_keyword(name, keyword_node, depth) for keyword_node in node.keywords]
        if name not in FUNCTIONS:
            self.reject_call_target(node.func, depth)
            return None
        self.functions.add(name)
        low, high = _ARITY[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            expected = str(low) if low == high else f"{low} to {high}" if high else f"at least {low}"
            self.error(node, f"{name}() takes {expected} argument(s), got {count}")
        elif node.keywords and count != 1:
            self.error(node, f"{name}() takes keyword arguments only with exactly one positional argument")
        return ast.Call(ast.copy_location(ast.Name(name, ast.Load()), node.func), args, keywords)

    def check_keyword(self, function: str | None, node: ast.keyword, depth: int) -> ast.keyword | None:
        value = self.check(node.value, depth)
        allowed = _KEYWORDS.get(function, set())
        if node.arg is None:
            self.error(node, "'**' unpacking is not allowed")
        elif function in FUNCTIONS and node.arg not in allowed:
            hint = f"allowed: {', '.join(sorted(allowed))}" if allowed else "pass arguments by position"
            self.error(node, f"{function}() does not accept keyword {node.arg!r}", hint=hint)
        else:
            return ast.copy_location(ast.keyword(node.arg, value), node)
        return None

    def reject_call_target(self, func: ast.expr, depth: int) -> None:
        """Explain why ``func(...)`` cannot be called, and check what it is made of."""
        if isinstance(func, ast.Name):
            self.use(func, called=True)
        elif isinstance(func, ast.Attribute):
            self.check(func.value, depth)
            attr = func.attr
            hint = f"write {attr}(...) with the value as first argument" if attr in RUNTIME_FUNCTIONS else ""
            self.error(self.offset(func, end=True) - len(attr), f"method calls are not allowed: .{attr}(...)", hint)
        else:
            self.check(func, depth)
            self.error(func, "only the allowed functions can be called, by plain name")

    def _check_ListComp(self, node: ast.ListComp, depth: int) -> ast.expr | None:
        checked = self.comprehension(node, [node.elt], depth)
        return None if checked is None else ast.ListComp(checked[0][0], [checked[1]])

    def _check_DictComp(self, node: ast.DictComp, depth: int) -> ast.expr | None:
        checked = self.comprehension(node, [node.key, node.value], depth)
        return None if checked is None else ast.DictComp(checked[0][0], checked[0][1], [checked[1]])

    def comprehension(
        self, node: ast.ListComp | ast.DictComp, results: list[ast.expr], depth: int
    ) -> tuple[list[ast.expr | None], ast.comprehension] | None:
        """The checked results and the one `for` (with at most one `if`) of a list or dict comprehension.

        One loop over a value, never nested: its cost is linear in the size
        of the list or dict it walks, like the built-in aggregates.
        """
        if self.local_names:
            self.error(node, "comprehensions cannot be nested; compute the inner list in an assign node first")
            return None
        if len(node.generators) != 1:
            self.error(node.generators[1].target, "a comprehension has one 'for'; nested loops are not allowed")
            return None
        loop = node.generators[0]
        if loop.is_async:
            self.error(node, "'async for' is not allowed")
            return None
        if len(loop.ifs) > 1:
            self.error(loop.ifs[1], "a comprehension has at most one 'if'; combine conditions with 'and'")
            return None
        names = self.loop_variables(loop.target)
        if names is None:
            return None
        iterated = self.check(loop.iter, depth)
        self.local_names = frozenset(names)
        try:
            checked = self.check_all(results, depth)
            conditions = self.check_all(loop.ifs, depth)
        finally:
            self.local_names = frozenset()
        target: ast.expr = ast.Name(local_name(names[0]), ast.Store())
        if isinstance(loop.target, ast.Tuple):
            target = ast.Tuple([ast.Name(local_name(name), ast.Store()) for name in names], ast.Store())
        return checked, ast.comprehension(target, iterated, conditions, 0)

    def loop_variables(self, target: ast.expr) -> list[str] | None:
        """`x` or `k, v`: plain names that are neither functions nor private, each once."""
        parts = target.elts if isinstance(target, ast.Tuple) else [target]
        if not parts or not all(isinstance(part, ast.Name) for part in parts):
            self.error(target, "a comprehension's variable must be a name, or names such as k, v")
            return None
        names = [part.id for part in parts]
        for part in parts:
            if part.id.startswith("_") or part.id in FUNCTIONS or len(set(names)) != len(names):
                self.error(part, f"{part.id!r} cannot be a comprehension's variable; choose another name")
                return None
        return names

    def _check_JoinedStr(self, node: ast.JoinedStr, depth: int) -> ast.expr | None:
        """f"a{x}b" becomes "a" + str(x) + "b": every part checked, always printable."""
        if len(node.values) > MAX_DEPTH:
            self.error(node, f"f-string has too many parts (more than {MAX_DEPTH})")
            return None
        parts: list[ast.expr | None] = []
        for value in node.values:
            if not isinstance(value, ast.FormattedValue):
                parts.append(self.check(value, depth))
            elif value.conversion != -1 or value.format_spec is not None:
                self.error(value, "f-string conversions and format specs ({x!r}, {x:>10}) are not allowed")
            else:
                inner = self.check(value.value, depth)
                call = ast.Call(ast.Name("str", ast.Load()), [inner], [])
                parts.append(ast.copy_location(call, value))
        if not parts:
            return ast.Constant("")
        joined = parts[0]
        for part in parts[1:]:
            joined = ast.BinOp(joined, ast.Add(), part)
        return joined
