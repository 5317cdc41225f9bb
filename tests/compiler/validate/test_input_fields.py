"""Reads of the workflow input against the start node's declared input fields (issue 17 item 5)."""

from __future__ import annotations

from compiler.validate.graph import validate
from tests.compiler.validate_helpers import ACTIVITIES, chain, graph, n

DECLARED = [{"name": "count", "type": "int", "required": True}, {"name": "label", "type": "str", "required": False}]


def _with_end_result(result: str, input_fields: list | None = DECLARED):
    start = n("start", "start", input_fields=input_fields) if input_fields is not None else n("start", "start")
    return graph(start, n("done", "end", result=result), edges=chain("start", "done"))


def _input_errors(g) -> list:
    return [d for d in validate(g, activities=ACTIVITIES) if "workflow input" in d.message]


def test_an_undeclared_input_field_is_an_error_pinned_to_node_field_and_column_with_a_suggestion():
    (problem,) = _input_errors(_with_end_result("input.cont * 2"))
    assert problem.is_error and (problem.node, problem.field, problem.column) == ("done", "result", 7)
    assert problem.message == "Invalid expression: the workflow input has no field 'cont'"
    assert problem.hint == "did you mean 'count'?"


def test_a_name_far_from_any_field_lists_the_declared_ones():
    (problem,) = _input_errors(_with_end_result("input.nonexistent * 2"))
    assert problem.hint == "available: count, label"


def test_subscripts_are_checked_too_and_each_field_is_reported_once():
    (problem,) = _input_errors(_with_end_result("[input['nope'], input.nope, input.count]"))
    assert (problem.message.endswith("no field 'nope'"), problem.column) == (True, 9)


def test_declared_fields_and_other_names_pass():
    assert _input_errors(_with_end_result("input.count * 2 if input['label'] else [x for x in [input]]")) == []


def test_a_start_that_declares_no_fields_accepts_any_input_name():
    assert _input_errors(_with_end_result("input.anything", input_fields=[])) == []
    assert _input_errors(_with_end_result("input.anything", input_fields=None)) == []
