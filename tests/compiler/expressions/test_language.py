"""The expression language: what it accepts, what it rejects (and where), and what inlined code computes.

Plain pytest, no database. Evaluating our own inlined trees with eval() is
fine here in the test: that is how we prove the generated code means what the
user wrote. The product never evaluates user text.
"""

import ast
import builtins
import keyword
from pathlib import Path

import pytest

from compiler.expressions.language import (
    ALLOWED_BUILTINS,
    MAX_DEPTH,
    RESERVED_NAMES,
    RUNTIME_FUNCTIONS,
    CheckedExpression,
    ExpressionError,
    check_expression,
    check_identifier,
    inline_expression,
)
from compiler.runtime import functions

VALUES = {
    "input": {"build_id": "b7", "packages": [{"name": "core", "deps": []}, {"name": "ui", "deps": ["core"]}]},
    "queue": [3, 1, 2],
    "item": {"name": "ui", "priority": 5, "tags": {"fast": True}},
    "count": 7,
    "label": "Hello",
    "nothing": None,
}


def from_namespace(name: str) -> ast.expr:
    return ast.Subscript(ast.Name("ns", ast.Load()), ast.Constant(name), ast.Load())


def evaluate(source: str, values: dict | None = None):
    """Check, inline and run an expression the way generated workflow code would."""
    values = VALUES if values is None else values
    checked = check_expression(source, known_names=values)
    assert checked.ok, checked.errors
    inlined = ast.Expression(inline_expression(checked, from_namespace))
    code = compile(ast.fix_missing_locations(inlined), "<expression>", "eval")
    helpers = {name: getattr(functions, name) for name in checked.functions}
    return eval(code, {"ns": values, **helpers})  # noqa: S307 - our own checked tree, in a test


def only_error(source: str, known_names=tuple(VALUES)) -> ExpressionError:
    checked = check_expression(source, known_names=known_names)
    assert checked.tree is None and not checked.ok
    assert len(checked.errors) == 1, checked.errors
    return checked.errors[0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42),
        ("2.5", 2.5),
        ("'text'", "text"),
        ("True", True),
        ("None", None),
        ("[1, 'a']", [1, "a"]),
        ("(1, 2)", (1, 2)),
        ("{'a': count}", {"a": 7}),
        ("{1, 2, 2}", {1, 2}),
        ("queue[0]", 3),
        ("queue[-1]", 2),
        ("queue[1:]", [1, 2]),
        ("queue[::-1]", [2, 1, 3]),
        ("1 < count <= 7", True),
        ("count == 7 != 8", True),
        ("'ui' in item.name", True),
        ("3 not in queue", False),
        ("nothing is None", True),
        ("nothing is not None", False),
        ("count > 5 and label", "Hello"),
        ("nothing or 'fallback'", "fallback"),
        ("not queue", False),
        ("count + 1", 8),
        ("count - 10", -3),
        ("count * 2", 14),
        ("count / 2", 3.5),
        ("count // 2", 3),
        ("count % 4", 3),
        ("-count", -7),
        ("+count", 7),
        ("label + '!'", "Hello!"),
        ("'big' if count > 5 else 'small'", "big"),
    ],
)
def test_allowed_constructs_evaluate_like_python(source, expected):
    assert evaluate(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("len(queue)", 3),
        ("min(queue)", 1),
        ("max(queue)", 3),
        ("max([], default=0)", 0),
        ("sum(queue)", 6),
        ("any([nothing, count])", True),
        ("all([nothing, count])", False),
        ("sorted(queue)", [1, 2, 3]),
        ("sorted(queue, reverse=True)", [3, 2, 1]),
        ("str(count)", "7"),
        ("int('12')", 12),
        ("float('1.5')", 1.5),
        ("bool(queue)", True),
        ("len(range(3))", 3),
        ("abs(-count)", 7),
        ("round(2.567, 2)", 2.57),
        ("keys(item)", ["name", "priority", "tags"]),
        ("values(item.tags)", [True]),
        ("items(item.tags)", [["fast", True]]),
        ("get(item, 'missing', 0)", 0),
        ("get(item, 'priority')", 5),
        ("get(queue, 10, 'none')", "none"),
        ("lower(label)", "hello"),
        ("upper(label)", "HELLO"),
        ("join(', ', queue)", "3, 1, 2"),
    ],
)
def test_allowed_functions_evaluate(source, expected):
    assert evaluate(source) == expected


def test_attribute_access_is_item_access_in_the_checked_tree():
    checked = check_expression("input.packages[1].deps", known_names=["input"])
    assert ast.unparse(checked.tree) == "input['packages'][1]['deps']"
    assert not any(isinstance(node, ast.Attribute) for node in ast.walk(checked.tree))
    assert evaluate("input.packages[1].deps") == ["core"]


def test_f_string_becomes_checked_concatenation():
    checked = check_expression("f'build-{input.build_id}-{item.name}'", known_names=VALUES)
    assert ast.unparse(checked.tree) == "'build-' + str(input['build_id']) + '-' + str(item['name'])"
    assert evaluate("f'build-{input.build_id}-{item.name}'") == "build-b7-ui"
    assert evaluate("f'{count}'") == "7"
    assert evaluate("f''") == ""


def test_f_string_parts_are_checked_like_any_expression():
    assert only_error("f'{x.__class__}'", ["x"]).message == "attributes starting with '_' are not allowed: '__class__'"
    assert only_error("f'{x!r}'", ["x"]).message.startswith("f-string conversions and format specs")
    assert only_error("f'{x:>1000000000}'", ["x"]).message.startswith("f-string conversions and format specs")


def test_whitespace_newlines_and_comments_are_harmless():
    assert evaluate("  count + 1  ") == 8
    assert evaluate("(count\n + 1)") == 8
    assert evaluate("count  # the count") == 7
    assert evaluate("\n\ncount") == 7


def test_names_and_functions_report_what_the_expression_uses():
    checked = check_expression("get(item, 'x') or len(queue) > count", known_names=VALUES)
    assert checked.names == {"item", "queue", "count"}
    assert checked.functions == {"get"}
    assert checked.source == "get(item, 'x') or len(queue) > count"


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("", "expression is empty", 1),
        ("   ", "expression is empty", 1),
        ("x" * 2001, "expression is longer than 2000 characters (2001)", 2001),
        ("count = 1", "invalid syntax", 7),
        ("count +", "expression is incomplete", 8),
        ("  count if  ", "expression is incomplete", 11),
        ("count\n  + 1", "syntax error: unexpected indent; wrap a multi-line expression in ( )", 8),
        ("count; queue", "invalid syntax", 6),
        ("import os", "invalid syntax", 1),
        ("(count", "syntax error: '(' was never closed", 1),
        ("é + )", "syntax error: unmatched ')'", 5),
        ("   é + )", "syntax error: unmatched ')'", 8),
        ("count\n+ 1", "invalid syntax", 7),
        ("count, queue", "only one expression is allowed; write a list as [a, b]", 1),
        ("lambda: 1", "lambda is not allowed", 1),
        ("{y for y in queue}", "only list and dict comprehensions are allowed", 1),
        ("sum(y for y in queue)", "only list and dict comprehensions are allowed", 4),
        ("[y for y in queue for z in y]", "a comprehension has one 'for'", 23),
        ("[y for y in queue if y if not y]", "a comprehension has at most one 'if'", 27),
        ("[[z for z in y] for y in queue]", "comprehensions cannot be nested", 2),
        ("[len for len in queue]", "'len' cannot be a comprehension's variable", 10),
        ("[y for y.name in queue]", "a comprehension's variable must be a name", 8),
        ("[z for y in queue]", "unknown name 'z'", 2),
        ("(y := 1)", "assignment expressions (:=) are not allowed", 2),
        ("[*queue]", "star unpacking (*x) is not allowed", 2),
        ("{**item}", "'**' unpacking is not allowed", 1),
        ("await queue", "'await' is not allowed", 1),
        ("(yield queue)", "'yield' is not allowed", 2),
        ("queue.append(1)", "method calls are not allowed: .append(...)", 6),
        ("foo(1)", "'foo' is not an allowed function", 1),
        ("count(1)", "'count' is a variable, not a function", 1),
        ("queue[0](1)", "only the allowed functions can be called, by plain name", 1),
        ("len(queue, item)", "len() takes 1 argument(s), got 2", 1),
        ("get(item)", "get() takes 2 to 3 argument(s), got 1", 1),
        ("min(queue, count, default=0)", "min() takes keyword arguments only with exactly one positional argument", 1),
        ("len(queue, reverse=True)", "len() does not accept keyword 'reverse'", 12),
        ("count ** 2", "'**' is not allowed because results can be huge; multiply instead", 7),
        ("count << 2", "bitwise operator '<<' is not allowed", 7),
        ("count | 1", "bitwise operator '|' is not allowed; use 'or'", 7),
        ("~count", "bitwise operator '~' is not allowed", 1),
        ("'%s' % count", "'%' string formatting is not allowed", 1),
        ("count is 1", "'is' only compares a value with None, True or False", 10),
        ("'a' is not None", "'is not' only compares a value with None, True or False", 12),
        ("1j", "complex numbers are not allowed", 1),
        ("b'x'", "bytes literals are not allowed", 1),
        ("...", "'...' is not allowed", 1),
        ("queue[1:2, 3]", "slices (a:b) are only allowed directly inside [ ]", 7),
        ("2.5.real", "numbers, None, True, False and sets cannot be indexed", 1),
        ("'abc'.upper", "text, lists and tuples can only be indexed by whole numbers or slices", 1),
        ("_hidden", "names starting with '_' are not allowed: '_hidden'", 1),
        ("item.__class__", "attributes starting with '_' are not allowed: '__class__'", 6),
        ("item._secret", "attributes starting with '_' are not allowed: '_secret'", 6),
        ("item.café", "attribute 'café' must be plain ASCII", 6),
        ("'é' + item.__a", "attributes starting with '_' are not allowed: '__a'", 12),
        ("(count\n + _x)", "names starting with '_' are not allowed: '_x'", 11),
        ("len", "function 'len' can only be called", 1),
        ("'C:\\dir'", "syntax error: invalid escape sequence '\\d'", 1),
        ("count\x00", "expression must not contain NUL characters", 6),
        ("'\ud800'", "expression contains invalid characters", 2),
    ],
)
def test_rejected_constructs_name_the_problem_and_its_column(source, message, column):
    error = only_error(source)
    assert error.message.startswith(message)
    assert error.column == column


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("pakages", "did you mean 'packages'?"),
        ("lenn(packages)", "did you mean 'len'?"),
        ("queue.lower()", "write lower(...) with the value as first argument"),
        ("sorted(packages, reverse=1, key=0)", "allowed: reverse"),
        ("'%s' % packages", "use an f-string or str() and +"),
        ("packages is 1", "use == or != to compare values"),
        ("'a\\d'", "write \\\\ for a backslash"),
    ],
)
def test_errors_carry_a_hint_towards_the_fix(source, hint):
    checked = check_expression(source, known_names=["packages", "queue"])
    assert hint in [error.hint for error in checked.errors]


def test_unknown_name_without_close_match_lists_available_names():
    error = only_error("zzz", ["queue", "input"])
    assert (error.message, error.hint) == ("unknown name 'zzz'", "available: input, queue")
    assert only_error("zzz", []).hint == "no names are available here"


def test_every_problem_is_reported_in_column_order():
    checked = check_expression("foo(x.__a) + 2 ** y", known_names=["x", "y"])
    assert [(error.column, error.message) for error in checked.errors] == [
        (1, "'foo' is not an allowed function"),
        (7, "attributes starting with '_' are not allowed: '__a'"),
        (16, "'**' is not allowed because results can be huge; multiply instead"),
    ]


def test_nesting_deeper_than_the_limit_is_one_clean_error():
    error = only_error("-" * (MAX_DEPTH + 5) + "count")
    assert error.message == f"expression is nested too deeply (more than {MAX_DEPTH} levels)"
    assert evaluate("-" * (MAX_DEPTH - 2) + "count") == 7


def test_brackets_nested_past_pythons_limit_are_one_clean_error():
    assert (
        only_error("(" * 201 + "count" + ")" * 201).message
        == "expression is nested too deeply (more than 200 brackets)"
    )
    assert evaluate("(" * 199 + "count" + ")" * 199) == 7


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('touch {marker}')",
        "().__class__.__bases__[0].__subclasses__()",
        "x.__class__",
        "open('{marker}', 'w')",
        "(lambda: __import__('os').system('touch {marker}'))()",
        "[y.__class__ for y in x]",
        "[[z for z in y] for y in x]",
        "(y := 1)",
        "'''\nimport os\nos.system('touch {marker}')\n'''.x",
        "x\nimport os",
        "x # ')\nimport os",
        "x \\\n + __builtins__",
        "getattr(x, '__class__')",
        "x.ｓｙｓｔｅｍ('id')",
        "9**9**9",
        "1 << 10**9",
        "10" * 1000 + ".0",
        "(" * 300 + "x" + ")" * 300,
        "[" * 120 + "]" * 120,
        "not " * 400 + "x",
        "f'{f\"{x.__class__}\"}'",
        "x if x else __import__('os')",
        "eval('1')",
        "\x00",
    ],
)
def test_hostile_input_is_rejected_without_running_anything(source, tmp_path):
    marker = tmp_path / "pwned"
    checked = check_expression(source.replace("{marker}", str(marker)), known_names=["x"])
    assert isinstance(checked, CheckedExpression)
    assert not checked.ok and checked.tree is None
    assert all(isinstance(error, ExpressionError) and error.column >= 1 for error in checked.errors)
    assert not marker.exists()


def test_huge_literals_and_redundant_parentheses_are_inert():
    assert evaluate("1e999 > 10") is True
    assert evaluate("0x" + "f" * 1000 + " > 0") is True
    assert evaluate("(" * 199 + "count" + ")" * 199) == 7


def test_inline_resolves_each_free_name_and_keeps_function_names():
    checked = check_expression("len(queue) > attempt and get(input, 'x')", known_names=["queue", "attempt", "input"])
    resolved = {
        "queue": ast.Attribute(ast.Attribute(ast.Name("self", ast.Load()), "state", ast.Load()), "queue", ast.Load()),
        "attempt": ast.Name("attempt", ast.Load()),
        "input": ast.Name("input", ast.Load()),
    }
    inlined = inline_expression(checked, resolved.__getitem__)
    assert ast.unparse(inlined) == "len(self.state.queue) > attempt and get(input, 'x')"
    compile(ast.fix_missing_locations(ast.Expression(inlined)), "<expression>", "eval")


def test_inline_copies_only_the_path_to_each_resolved_name():
    checked = check_expression("queue[0] + 1", known_names=["queue"])
    inlined = inline_expression(checked, from_namespace)
    assert ast.unparse(inlined) == "ns['queue'][0] + 1"
    assert ast.unparse(checked.tree) == "queue[0] + 1"  # the checked tree is not changed
    assert inlined.left is not checked.tree.left  # the subscript above the name is a copy
    assert inlined.right is checked.tree.right  # the constant is shared
    assert ast.unparse(inline_expression(checked, from_namespace)) == "ns['queue'][0] + 1"


def test_inline_refuses_an_expression_with_errors():
    with pytest.raises(ValueError, match="cannot inline expression with errors"):
        inline_expression(check_expression("queue(", known_names=["queue"]), from_namespace)


@pytest.mark.parametrize("name", ["packages", "max_concurrency", "queue2", "failedRetries"])
def test_identifier_accepts_plain_names(name):
    assert check_identifier(name) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "variable name is empty"),
        ("x" * 65, "variable name is longer than 64 characters"),
        ("1abc", "variable name '1abc' must use only letters, digits and '_' and not start with a digit"),
        ("a-b", "variable name 'a-b' must use only letters, digits and '_' and not start with a digit"),
        ("café", "variable name 'café' must use only letters, digits and '_' and not start with a digit"),
        ("_x", "variable name '_x' must not start with '_'"),
        ("__class__", "variable name '__class__' must not start with '_'"),
        ("class", "variable name 'class' is a Python keyword; choose another name"),
        ("len", "variable name 'len' is reserved (it is an expression function); choose another name"),
        ("join", "variable name 'join' is reserved (it is an expression function); choose another name"),
        ("item", "variable name 'item' is reserved (it is set by containers such as loops and retry blocks); "
         "choose another name"),
        ("self", "variable name 'self' is reserved (it is used by the generated workflow code); choose another name"),
        ("list", "variable name 'list' is reserved (it is a Python built-in); choose another name"),
    ],
)  # fmt: skip
def test_identifier_rejects_unusable_names_with_a_reason(name, message):
    assert check_identifier(name) == message


def test_identifier_message_names_the_field():
    assert check_identifier("if", what="field name") == "field name 'if' is a Python keyword; choose another name"


def test_reserved_names_cover_functions_keywords_and_generated_code():
    assert ALLOWED_BUILTINS | RUNTIME_FUNCTIONS <= RESERVED_NAMES
    assert set(keyword.kwlist) <= RESERVED_NAMES
    assert {"input", "self", "workflow", "item", "attempt", "last_error", "result"} <= RESERVED_NAMES


def test_function_lists_match_what_exists_at_run_time():
    assert set(functions.__all__) == RUNTIME_FUNCTIONS
    assert all(callable(getattr(builtins, name)) for name in ALLOWED_BUILTINS)
    assert not ALLOWED_BUILTINS & RUNTIME_FUNCTIONS


def test_runtime_get_never_raises():
    assert functions.get({"a": 1}, ["unhashable"], "d") == "d"
    assert functions.get(None, "a", "d") == "d"
    assert functions.get([1, 2], -2) == 1
    assert functions.get([1, 2], True, "d") == "d"
    assert functions.get("text", 0, "d") == "d"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: functions.keys([1]), "keys() expects a dict, got list"),
        (lambda: functions.lower(None), "lower() expects text, got NoneType"),
        (lambda: functions.join(1, []), "join() expects text, got int"),
        (lambda: functions.join(",", "abc"), "join() expects a list as its second argument, got str"),
    ],
)
def test_runtime_helpers_name_themselves_in_type_errors(call, message):
    with pytest.raises(TypeError) as raised:
        call()
    assert str(raised.value) == message


def documented_examples() -> list[str]:
    """The code block at the top of docs/expressions.md and the example column of its function table."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "expressions.md").read_text()
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    functions_section = text.split("## Functions", 1)[1].split("\n## ", 1)[0]
    table_examples = [line.rsplit("`", 2)[-2] for line in functions_section.splitlines() if line.startswith("| `")]
    return block.splitlines() + table_examples


@pytest.mark.parametrize("source", documented_examples())
def test_documented_examples_are_accepted(source):
    known = {"input", "state_paused", "result", "queue", "item", "durations", "failed", "cancelled", "built"}
    known |= {"tested", "priorities", "attempt", "list_size", "delta", "seconds", "counts", "statuses", "name"}
    assert check_expression(source, known_names=known).errors == ()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[x * 2 for x in queue]", [6, 2, 4]),
        ("[p.name for p in input.packages if not p.deps]", ["core"]),
        ("{p.name: len(p.deps) for p in input.packages}", {"core": 0, "ui": 1}),
        ("{k: v for k, v in items(item.tags) if v}", {"fast": True}),
        ("sum([x for x in queue if x > 1])", 5),
        ("sorted([x for x in queue])", [1, 2, 3]),
        # The loop variable may take a name the expression also reads: inside, it is the item.
        ("[count * 10 for count in queue if count != len(queue)]", [10, 20]),
        ("[count for count in [count, count]]", [7, 7]),
    ],
)
def test_list_and_dict_comprehensions_compute_over_json_values(source, expected):
    assert evaluate(source) == expected


def test_a_comprehensions_variable_is_not_a_name_it_reads():
    checked = check_expression("[p.name for p in input.packages]", known_names=VALUES)

    assert checked.names == {"input"}
