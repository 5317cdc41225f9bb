"""The input rules themselves: JSON depth and text, identifiers and keys, bounded config numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from compiler.validate.graph import validate
from tests.compiler.validate_helpers import errors, flow, n
from workflows.identifiers import identifier_problem, slug_problem, validate_identifier
from workflows.input_checks import InputError, json_problem, parse_json, small_whole_number
from workflows.node_types import NODE_TYPES
from workflows.node_types.fields import MAX_SECONDS, ConfigError, Field


def test_json_far_too_deep_to_recurse_over_is_reported_not_raised():
    value: list = []
    for _ in range(100_000):
        value = [value]
    assert json_problem(value) == "is nested deeper than 64 levels"
    with pytest.raises(InputError, match="nested deeper than 64 levels"):
        parse_json("[" * 100_000 + "]" * 100_000)


def test_json_at_the_depth_limit_is_accepted():
    assert parse_json("[" * 64 + "]" * 64) is not None
    with pytest.raises(InputError):
        parse_json("[" * 65 + "]" * 65)


@pytest.mark.parametrize(
    "text,message",
    [
        ('{"a": NaN}', "NaN is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        ("1e999", "inf is not a number JSON allows"),
        ('{"a": ["\\udfff"]}', "at ['a'][0]: contains a lone surrogate (U+DFFF)"),
        ('{"\\u0000": 1}', "a key contains a NUL character"),
        ("9" * 5000, "is not valid JSON (Exceeds the limit (4300 digits)"),
    ],
)
def test_json_that_no_database_or_json_reader_takes_is_refused(text, message):
    with pytest.raises(InputError) as refused:
        parse_json(text)
    assert message in str(refused.value)


@pytest.mark.parametrize("value", ["package-build\n", "Package", "a--b", "-a", "", "é", 7, None, ["a"]])
def test_slugs_are_matched_whole(value):
    assert slug_problem(value) is not None


@pytest.mark.parametrize("value", ["import", "class", "not", "async", "await", "lambda"])
def test_python_keywords_cannot_name_a_workflow(value):
    assert "is a Python keyword" in identifier_problem(value)
    with pytest.raises(ValidationError, match="Python keyword"):
        validate_identifier(value)


@pytest.mark.parametrize("value", ["match", "case", "type", "import-job", "class-2", "9lives"])
def test_soft_keywords_and_keywords_inside_an_identifier_are_fine(value):
    """`match`, `case` and `type` are valid module names; the module of `import-job` is import_job."""
    assert identifier_problem(value) is None


@pytest.mark.parametrize(
    "spec,value,message",
    [
        (Field("t", "float", minimum=0.001, maximum=MAX_SECONDS), 1e20, "must be between 0.001 and 315360000"),
        (Field("t", "float", minimum=0.001, maximum=MAX_SECONDS), 10**400, "must be between 0.001 and 315360000"),
        (Field("t", "float", minimum=0.001, maximum=MAX_SECONDS), "inf", "must be a finite number"),
        (Field("t", "float", minimum=0.001, maximum=MAX_SECONDS), float("nan"), "must be a finite number"),
        (Field("t", "float", minimum=1), 10**400, "is too large"),
        (Field("n", "int", minimum=1, maximum=10), "11", "must be between 1 and 10"),
        (Field("n", "int", minimum=1, maximum=10), "9" * 5000, "must be a whole number"),
        (Field("n", "int", minimum=1, maximum=10), "²", "must be a whole number"),
        (Field("n", "int", minimum=1, maximum=10), float("inf"), "must be a whole number"),
        (Field("s", "text"), "a\ud800", "contains a lone surrogate (U+D800)"),
        (Field("s", "identifier"), "out\n", "is not a valid name"),
        (Field("s", "slug"), "child\n", "is not a valid identifier"),
    ],
)
def test_config_fields_refuse_values_that_would_fail_later(spec, value, message):
    with pytest.raises(ConfigError) as refused:
        spec.clean(value)
    assert message in str(refused.value)


def test_every_number_field_of_every_node_type_has_an_upper_bound():
    numbers = [(t.name, f.name) for t in NODE_TYPES.values() for f in t.fields if f.kind in ("int", "float")]
    assert numbers and all(NODE_TYPES[t].field(f).maximum is not None for t, f in numbers)


def test_an_argument_name_with_a_trailing_newline_is_a_diagnostic():
    found = {d.field for d in errors(validate(flow(n("a", "activity", activity="fetch", args={"url\n": "'u'"}))))}
    assert found & {"args", "args.url\n"}


@pytest.mark.parametrize("text,number", [("7", 7), ("2147483647", 2147483647), ("2147483648", None), ("²", None)])
def test_small_whole_numbers(text, number):
    assert small_whole_number(text) == number


@pytest.mark.parametrize(
    "type_name,field,value,message",
    [
        ("timer", "duration", "1e20", "must be between 0 and 315360000"),
        ("timer", "duration", "1e999", "must be between 0 and 315360000"),
        ("timer", "duration", "-5", "must be between 0 and 315360000"),
        ("spawner", "max_concurrency", "0", "must be between 1 and 10000"),
        ("spawner", "max_concurrency", 10**6, "must be between 1 and 10000"),
    ],
)
def test_an_expression_that_is_just_a_number_is_held_to_the_field_bounds(type_name, field, value, message):
    with pytest.raises(ConfigError) as refused:
        NODE_TYPES[type_name].field(field).clean(value)
    assert message in str(refused.value)


@pytest.mark.parametrize("value", ["30", "2.5", "input.wait", "len(queue) + 1", "[1e20][0]"])
def test_other_expressions_in_bounded_fields_are_left_to_run_time(value):
    assert NODE_TYPES["timer"].field("duration").clean(value) == value
