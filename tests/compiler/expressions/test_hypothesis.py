"""Property tests: no text makes the checker raise, and whatever it accepts compiles and stays in the allow-list.

Three sources of input: arbitrary unicode text, random sequences of Python
tokens (far more likely to parse, so they reach the allow-list checks), and
expressions built from the grammar the language promises to accept.
"""

import ast
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.expressions.language import ALLOWED_BUILTINS, RUNTIME_FUNCTIONS, check_expression, inline_expression

KNOWN = frozenset({"input", "queue", "item", "count"})
FUNCTIONS = ALLOWED_BUILTINS | RUNTIME_FUNCTIONS
ALLOWED_NODES = (
    (ast.Constant, ast.Name, ast.Load, ast.Subscript, ast.Slice, ast.List, ast.Tuple, ast.Set, ast.Dict)
    + (ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.IfExp, ast.Call, ast.keyword)
    + (ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)
    + (ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn)
    + (ast.ListComp, ast.DictComp, ast.comprehension, ast.Store)
)
TOKENS = (
    sorted(KNOWN)
    + ["unknown", "_private", "__class__", "__import__", "os", "self", "len", "get", "join", "sorted", "lower"]
    + ["(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=", ":=", "*", "**", "@", "~", "\\", "\n", "# note"]
    + ["+", "-", "/", "//", "%", "<", "<=", "==", "!=", "<<", "|", "is", "not", "in", "and", "or", "if", "else"]
    + ["lambda", "for", "yield", "await", "import", "del", "1", "0", "2.5", "1e999", "1j", "...", "None", "True"]
    + ["'s'", '"t"', "'''x'''", "b'b'", "'\\d'", "f'{count}'", "f'a{item.name}b'", "f'{x!r}'", "reverse=True"]
    + ["default=0", "key=len", "é", "\t", "\x00", "x", "k, v"]
)


def from_namespace(name: str) -> ast.expr:
    return ast.Subscript(ast.Name("ns", ast.Load()), ast.Constant(name), ast.Load())


def assert_accepted_expression_is_safe_and_compiles(source: str) -> None:
    checked = check_expression(source, known_names=KNOWN)
    if not checked.ok:
        assert checked.tree is None and checked.errors
        assert all(error.column >= 1 and error.message for error in checked.errors)
        return
    assert checked.names <= KNOWN and checked.functions <= RUNTIME_FUNCTIONS
    loop_variables = {
        name.id
        for loop in ast.walk(checked.tree)
        if isinstance(loop, ast.comprehension)
        for name in ast.walk(loop.target)
        if isinstance(name, ast.Name)
    }
    assert all(name.startswith("_") for name in loop_variables)  # never a name the expression reads
    for node in ast.walk(checked.tree):
        assert isinstance(node, ALLOWED_NODES), type(node).__name__
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS
        if isinstance(node, ast.Name):
            assert node.id in KNOWN | FUNCTIONS | loop_variables
    inlined = inline_expression(checked, from_namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # SyntaxWarnings would mean code that always fails at run time
        compile(ast.fix_missing_locations(ast.Expression(inlined)), "<expression>", "eval")
    printed = ast.unparse(checked.tree)
    if not loop_variables:  # `_x` is how a loop variable is printed, never what a user may write
        assert ast.unparse(check_expression(printed, known_names=KNOWN).tree) == printed


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(source):
    assert_accepted_expression_is_safe_and_compiles(source)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14), st.sampled_from([" ", ""]))
def test_random_python_tokens_never_raise(tokens, separator):
    assert_accepted_expression_is_safe_and_compiles(separator.join(tokens))


names = st.sampled_from(sorted(KNOWN))
literals = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=6).map(repr),
    st.sampled_from(["True", "False", "None"]),
)


def composite(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.sampled_from(["+", "-", "*", "/", "//", "==", "!=", "<", ">=", "in", "not in", "and", "or"])
    return st.one_of(
        st.tuples(children, binary, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(names, children).map(lambda t: f"({t[0]} % {t[1]})"),
        st.tuples(st.sampled_from(["not ", "-", "+"]), children).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(children, min_size=1, max_size=3).map(lambda items: "{" + ", ".join(items) + "}"),
        st.tuples(children, children).map(lambda t: f"{{{t[0]}: {t[1]}}}"),
        st.tuples(names, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(names, children).map(lambda t: f"{t[0]}[{t[1]}:]"),
        st.tuples(names, st.sampled_from(["name", "deps", "if_"])).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(names, st.sampled_from(["is", "is not"])).map(lambda t: f"({t[0]} {t[1]} None)"),
        st.tuples(st.sampled_from(["len", "str", "abs", "keys", "lower", "sorted"]), children).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(st.sampled_from(["get", "join", "max", "round"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        children.map(lambda child: f"sorted({child}, reverse=True)"),
        st.tuples(st.text(alphabet="abc -", max_size=4), names).map(lambda t: f"f'{t[0]}{{{t[1]}}}'"),
        children.map(lambda child: f"[x for x in {child}]"),
        st.tuples(children, names).map(lambda t: f"[x.name + {t[1]} for x in {t[0]} if x]"),
        children.map(lambda child: f"{{k: [v, k] for k, v in items({child}) if k != 'x'}}"),
    )


@settings(max_examples=400, deadline=None)
@given(st.recursive(st.one_of(names, literals), composite, max_leaves=25))
def test_expressions_from_the_documented_grammar_are_accepted(source):
    checked = check_expression(source, known_names=KNOWN)
    depth_errors = [error for error in checked.errors if "nested" in error.message]
    assert checked.ok or depth_errors == list(checked.errors), checked.errors
    assert_accepted_expression_is_safe_and_compiles(source)
