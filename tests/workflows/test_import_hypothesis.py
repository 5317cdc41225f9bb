"""Property tests of the import API and of expressions written through the API.

Random and hostile documents and expressions never give a 500: the answer is
201 or 400. Whatever is accepted is compiled; when the compiler emits a
module, user text (names, labels, descriptions, config strings, string
literals in expressions) appears in it only inside string constants: with
every `ast.Constant` string blanked, no marker planted in user text is left
in the code.
"""

from __future__ import annotations

import ast
import copy
import itertools
import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from compiler.pipeline import compile_graph
from compiler.project_reader import load
from tests.compiler.expressions.test_hypothesis import TOKENS
from tests.compiler.test_hostile import PAYLOADS
from workflows.input_checks import text_problem
from workflows.models import Workflow

MARK = "Qz7mark"
SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
identifiers = itertools.count(1)

# Any code point, lone surrogates included (hypothesis leaves them out by default).
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=24)
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=24), any_text).map(lambda text: f"{MARK}{text}{MARK}")
# Text the database can store: most documents use only this, so that many get as far as the compiler.
storable = hostile.filter(lambda text: text_problem(text) is None)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile, any_text),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=8,
)
expressions = st.one_of(
    hostile.map(repr),
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10).map(" ".join),
    st.sampled_from(["input.x", "out", "memo", "len(memo) > 1", "{'ok': True}", "1e999", "[" * 300 + "]" * 300]),
)


@st.composite
def documents(draw) -> dict:
    """A workflow that compiles when nothing hostile gets in its way, then maybe one value of any JSON type."""
    text = hostile if draw(st.integers(0, 3)) == 0 else storable
    label = lambda: draw(text)  # noqa: E731 - a fresh draw per place
    document = {
        "format": "workflow-studio/v1",
        "identifier": f"imported-{next(identifiers)}",
        "name": label(),
        "description": label(),
        "nodes": [
            {
                "key": "start",
                "type": "start",
                "label": label(),
                "config": {"input_fields": [{"name": "x", "type": "str", "description": label()}]},
            },
            {"key": "memo", "type": "state", "label": label(), "config": {"name": "memo", "initial": []}},
            {
                "key": "act",
                "type": "activity",
                "label": label(),
                "config": {"activity": label(), "args": {"a": draw(expressions)}, "result_var": "out"},
            },
            {"key": "ph", "type": "phase", "label": label(), "config": {"name": label()}},
            {"key": "think", "type": "agent", "parent": "ph", "label": label(), "config": {"prompt": label()}},
            {"key": "cond", "type": "condition", "label": label(), "config": {"expression": draw(expressions)}},
            {"key": "yes", "type": "end", "label": label(), "config": {"result": draw(expressions)}},
            {"key": "no", "type": "end", "label": label(), "config": {"result": repr(label())}},
        ],
        "edges": [
            {"source": "start", "target": "act"},
            {"source": "act", "target": "ph"},
            {"source": "ph", "target": "cond"},
            {"source": "cond", "target": "yes", "kind": "true"},
            {"source": "cond", "target": "no", "kind": "false"},
        ],
    }
    if draw(st.integers(0, 2)) == 0:
        _replace_one_value(document, draw(st.randoms(use_true_random=False)), draw(json_values))
    return document


def _replace_one_value(document: dict, random, value) -> None:
    """Put `value` in one place of the document: a top-level entry, a node's entry or config entry, an edge end."""
    places: list[tuple[dict | list, str | int]] = [(document, key) for key in document]
    for node in document["nodes"]:
        places += [(node, key) for key in ("key", "type", "label", "parent", "slot", "position", "config")]
        places += [(node["config"], key) for key in node["config"]]
    for edge in document["edges"]:
        places += [(edge, key) for key in ("source", "target", "kind")]
    container, key = random.choice(places)
    container[key] = copy.deepcopy(value)


def assert_user_text_is_only_data(source: str) -> None:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    skeleton = ast.unparse(tree)
    assert MARK not in skeleton, next(line for line in skeleton.splitlines() if MARK in line)


def compile_accepted(project, identifier: str) -> None:
    """Compile what the API accepted; the module, if any, must compile and keep user text in constants."""
    workflow = Workflow.objects.get(project=project, identifier=identifier)
    graph = load(workflow)
    result = compile_graph(graph, project_graphs={identifier: graph})
    if result.source is None:
        event("accepted, not compiled")
        assert any(d.is_error for d in result.diagnostics)
        return
    event("compiled")
    compile(result.source, f"{identifier}.py", "exec")
    assert_user_text_is_only_data(result.source)


@pytest.fixture
def owner(api_for):
    return api_for("owner")


@SETTINGS
@given(document=documents())
def test_hostile_imports_are_a_400_or_a_workflow_whose_module_holds_user_text_as_data(team, owner, document):
    url = f"/api/projects/{team.project.slug}/workflows/import/"
    response = owner.post(url, json.dumps(document), content_type="application/json")
    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 400:
        event("refused")
        answer = response.json()
        assert answer.get("problems") or answer.get("detail")
        return
    compile_accepted(team.project, response.json()["identifier"])


@SETTINGS
@given(expression=expressions, field=st.sampled_from(["expression", "result"]))
def test_hostile_expressions_through_the_api_are_a_400_or_compile_to_data(team, owner, expression, field):
    key = {"expression": "exists", "result": "done"}[field]
    url = f"/api/projects/{team.project.slug}/workflows/{team.workflow.identifier}/nodes/{key}/"
    response = owner.patch(url, json.dumps({"config": {field: expression}}), content_type="application/json")
    assert response.status_code in (200, 400), response.content[:500]
    if response.status_code == 200:
        compile_accepted(team.project, team.workflow.identifier)
