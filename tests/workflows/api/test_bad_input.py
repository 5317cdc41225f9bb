"""Hostile input through the API is a 400 with a message and writes nothing, never a 500.

Each case is one a fuzzing session turned into a 500 (issue 12, item 5):
JSON nested thousands of levels deep, lists where text is expected in an
import, numbers beyond what Python or Temporal convert, NaN and infinity,
lone surrogates and NUL in text, a trailing newline after an identifier,
text longer than its column, Python keywords as identifiers and intervals
of 1e20 seconds.
"""

from __future__ import annotations

import copy
import json

import pytest

from projects.models import Membership, Project
from tests.factories import sample_document
from workflows.documents import check_document
from workflows.models import Edge, Node, Revision, Workflow

DEEP = 5000


def database_state() -> tuple:
    """Everything a write could change: rows of every kind and each workflow's version."""
    return (
        Project.objects.count(),
        Membership.objects.count(),
        Workflow.objects.count(),
        Node.objects.count(),
        Edge.objects.count(),
        Revision.objects.count(),
        tuple(Workflow.objects.order_by("pk").values_list("version", flat=True)),
        tuple(Node.objects.order_by("pk").values_list("label", flat=True)),
    )


def send(client, method: str, path: str, data: dict):
    """A JSON request with the body escaped to ASCII, as any client can send lone surrogates ("\\ud800")."""
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.fixture
def owner(api_for):
    return api_for("owner")


@pytest.fixture
def base(team) -> str:
    return f"/api/projects/{team.project.slug}"


@pytest.fixture
def wf_url(base, team) -> str:
    return f"{base}/workflows/{team.workflow.identifier}"


# Every API write that reads its body. (Deleting a project or a member and
# cancelling a run take no body; they never parse one.)
WRITES = [
    ("post", "/api/projects/"),
    ("patch", "{base}/"),
    ("post", "{base}/members/"),
    ("patch", "{base}/members/eddie/"),
    ("post", "{base}/workflows/"),
    ("post", "{base}/workflows/import/"),
    ("patch", "{wf}/"),
    ("delete", "{wf}/"),
    ("post", "{wf}/nodes/"),
    ("patch", "{wf}/nodes/check/"),
    ("delete", "{wf}/nodes/check/"),
    ("post", "{wf}/edges/"),
    ("delete", "{wf}/edges/{edge}/"),
    ("post", "{wf}/revisions/1/restore/"),
    ("post", "{wf}/runs/"),
    ("post", "{base}/runs/some-run/signal/"),
    ("post", "{base}/runs/some-run/terminate/"),
]


@pytest.mark.parametrize("method,template", WRITES, ids=[f"{m} {t}" for m, t in WRITES])
@pytest.mark.parametrize(
    "body,message",
    [
        pytest.param(nested(DEEP), "nested deeper than 64 levels", id="nested-5000"),
        pytest.param(nested(300), "nested deeper than 64 levels", id="nested-300"),
        pytest.param('{"label": "\\ud800"}', "lone surrogate (U+D800)", id="surrogate"),
        pytest.param('{"label": "a\\u0000b"}', "NUL character", id="nul"),
        pytest.param('{"label": NaN}', "NaN is not a number JSON allows", id="nan"),
        pytest.param('{"n": 1e400}', "inf is not a number JSON allows", id="overflowing-float"),
    ],
)
def test_every_api_write_refuses_a_hostile_json_body(team, owner, base, wf_url, method, template, body, message):
    edge = team.workflow.edges.first().pk
    path = template.format(base=base, wf=wf_url, edge=edge)
    before = database_state()
    response = getattr(owner, method)(path, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert message in response.json()["detail"]
    assert database_state() == before


def test_a_json_field_sent_as_form_data_is_checked_too(owner, wf_url):
    before = database_state()
    response = owner.post(f"{wf_url}/nodes/", {"type": "state", "label": "Deep", "config": nested(DEEP)})
    assert response.status_code == 400
    assert "nested deeper than 64 levels" in response.json()["config"][0]
    assert database_state() == before


def import_url(team) -> str:
    return f"/api/projects/{team.project.slug}/workflows/import/"


def changed(change) -> dict:
    document = copy.deepcopy(sample_document("hostile"))
    change(document)
    return document


def node(document: dict, key: str) -> dict:
    return next(n for n in document["nodes"] if n["key"] == key)


IMPORTS = [
    pytest.param(lambda d: node(d, "check").update(parent=[1]), "check", "parent must be the key", id="parent-list"),
    pytest.param(lambda d: node(d, "check").update(parent={"a": 1}), "check", "parent must be", id="parent-object"),
    pytest.param(lambda d: node(d, "check").update(type=["x"]), "check", "Unknown node type ['x']", id="type-list"),
    pytest.param(lambda d: node(d, "check").update(slot=["body"]), "check", "slot must be", id="slot-list"),
    pytest.param(lambda d: d["edges"][0].update(source=[1]), None, "source, target and kind must be text", id="edge"),
    pytest.param(lambda d: d["edges"][0].update(kind={"k": 1}), None, "must be text", id="edge-kind-object"),
    pytest.param(lambda d: d.update(identifier=["x"]), None, "identifier: Use lowercase", id="identifier-list"),
    pytest.param(lambda d: d.update(name=["x"]), None, "name must be text", id="name-list"),
    pytest.param(lambda d: d.update(identifier="hostile\n"), None, "identifier: Use lowercase", id="id-newline"),
    pytest.param(lambda d: node(d, "check").update(key="check\n"), "check\n", "key: Use lowercase", id="key-newline"),
    pytest.param(lambda d: d.update(identifier="x" * 81), None, "at most 80 characters", id="identifier-too-long"),
    pytest.param(lambda d: node(d, "check").update(key="k" * 81), "k" * 81, "at most 80", id="key-too-long"),
    pytest.param(lambda d: d.update(name="n" * 121), None, "name must be at most 120", id="name-too-long"),
    pytest.param(lambda d: node(d, "check").update(label="l" * 201), "check", "at most 200", id="label-too-long"),
    pytest.param(lambda d: d.update(identifier="import"), None, "Python keyword", id="keyword-identifier"),
    pytest.param(lambda d: node(d, "check").update(position=10**30), "check", "position must be", id="position"),
    pytest.param(
        lambda d: node(d, "check")["config"].update(start_to_close_timeout=int("9" * 400)),
        "check",
        "start_to_close_timeout: must be between 0.001 and 315360000",
        id="400-digit-timeout",
    ),
    pytest.param(
        lambda d: node(d, "check")["config"].update(start_to_close_timeout="inf"),
        "check",
        "start_to_close_timeout: must be a finite number",
        id="inf-as-text",
    ),
    pytest.param(
        lambda d: node(d, "check")["config"].update(retry={"initial_interval": 1e20}),
        "check",
        "retry: initial_interval must be between 0.001 and 315360000",
        id="retry-interval-1e20",
    ),
    pytest.param(
        lambda d: node(d, "build")["config"].update(max_attempts="9" * 5000),
        "build",
        "max_attempts: must be a whole number",
        id="5000-digit-text",
    ),
    pytest.param(
        lambda d: node(d, "build")["config"].update(max_interval=1e20),
        "build",
        "max_interval: must be between 0 and 315360000",
        id="retry-block-interval",
    ),
    pytest.param(lambda d: node(d, "check")["config"].update(activity="a\x00b"), "check", "NUL", id="nul-config"),
    pytest.param(
        lambda d: node(d, "start")["config"]["input_fields"][0].update(description="\x00"),
        "start",
        "NUL",
        id="nul-input-field-description",
    ),
    pytest.param(lambda d: node(d, "fix")["config"].update(tools=["a\x00"]), "fix", "NUL", id="nul-in-text-list"),
    pytest.param(lambda d: d.update(description="\x00"), None, "NUL", id="nul-description"),
    pytest.param(
        lambda d: node(d, "queue")["config"].update(initial=json.loads(nested(65))),
        "queue",
        "nested deeper than 64 levels",
        id="deep-json-config",
    ),
    pytest.param(
        lambda d: node(d, "queue")["config"].update(initial={"k\x00": 1}),
        "queue",
        "a key contains a NUL",
        id="nul-json-key",
    ),
    pytest.param(
        lambda d: node(d, "on-add")["config"]["actions"][0].update(op=["append"]),
        "on-add",
        "op must be one of",
        id="signal-op-list",
    ),
    pytest.param(
        lambda d: node(d, "start")["config"]["input_fields"][0].update(type=["str"]),
        "start",
        "type must be one of",
        id="input-type-list",
    ),
    pytest.param(
        lambda d: node(d, "check")["config"]["args"].update({"x\n": "1"}),
        "check",
        "is not a valid argument name",
        id="argument-name-newline",
    ),
]


@pytest.mark.parametrize("change,node_key,message", IMPORTS)
def test_a_hostile_document_has_a_problem_naming_the_node(change, node_key, message):
    """check_document itself, as the New workflow form and revision restores call it (no API parser before it)."""
    cleaned, problems = check_document(changed(change))
    assert cleaned is None
    assert any(message in p["message"] and p["node"] == node_key for p in problems), problems


@pytest.mark.parametrize("change,node_key,message", IMPORTS)
def test_a_hostile_import_is_a_400_naming_the_problem_and_writes_nothing(team, owner, change, node_key, message):
    """The API refuses what the body parser catches (NUL, depth) as a whole, and the rest per node."""
    before = database_state()
    response = send(owner, "post", import_url(team), changed(change))
    assert response.status_code == 400, response.content[:500]
    answer = response.json()
    if "problems" in answer:
        assert any(message in p["message"] and p["node"] == node_key for p in answer["problems"]), answer
    else:
        assert message in answer["detail"]
    assert database_state() == before


NODE_WRITES = [
    pytest.param({"label": "x" * 201}, "label", "no more than 200 characters", id="label-too-long"),
    pytest.param({"label": "ok", "key": "k" * 81}, "key", "no more than 80 characters", id="key-too-long"),
    pytest.param({"label": "ok", "parent_key": "p" * 81}, "parent_key", "no more than 80", id="parent-key-long"),
    pytest.param({"label": "ok", "position": 10**30}, "position", "less than or equal to 1000000", id="position"),
    pytest.param({"label": "ok", "expected_version": 10**30}, "expected_version", "less than", id="version"),
    pytest.param(
        {"label": "ok", "config": {"activity": "noop", "heartbeat_timeout": 10**400}},
        "config",
        "heartbeat_timeout: must be between 0.001 and 315360000",
        id="huge-int",
    ),
    pytest.param(
        {"label": "ok", "config": {"activity": "noop", "start_to_close_timeout": "Infinity"}},
        "config",
        "start_to_close_timeout: must be a finite number",
        id="infinity-text",
    ),
    pytest.param(
        {"label": "ok", "config": {"activity": "noop", "retry": {"backoff_coefficient": 1e9}}},
        "config",
        "backoff_coefficient must be between 1 and 1000",
        id="backoff",
    ),
    pytest.param(
        {"label": "ok", "config": {"activity": "noop", "result_var": "out\n"}},
        "config",
        "'out\n' is not a valid name",
        id="result-var-newline",
    ),
    pytest.param(
        {"label": "ok", "config": {"activity": "noop", "result_var": "class"}},
        "config",
        "'class' is not a valid name",
        id="result-var-keyword",
    ),
    pytest.param(
        {"type": "timer", "label": "ok", "config": {"duration": "1e20"}},
        "config",
        "duration: must be between 0 and 315360000",
        id="timer-1e20",
    ),
]


@pytest.mark.parametrize("body,field,message", NODE_WRITES)
def test_a_hostile_node_is_a_400_on_its_field_and_writes_nothing(owner, wf_url, body, field, message):
    before = database_state()
    response = send(owner, "post", f"{wf_url}/nodes/", {"type": "activity", **body})
    assert response.status_code == 400, response.content[:500]
    assert any(message in text for text in response.json()[field]), response.json()
    assert database_state() == before


def test_a_hostile_node_update_is_a_400_and_keeps_the_node(owner, wf_url):
    before = database_state()
    response = send(owner, "patch", f"{wf_url}/nodes/check/", {"label": "a\ud800b"})
    assert response.status_code == 400 and "lone surrogate" in response.json()["detail"]
    response = send(owner, "patch", f"{wf_url}/nodes/check/", {"config": {"activity": "x", "retry": 5}})
    assert response.status_code == 400 and "retry: must be an object" in response.json()["config"][0]
    assert database_state() == before


WORKFLOW_WRITES = [
    pytest.param({"identifier": "for"}, "identifier", "Python keyword", id="keyword"),
    pytest.param({"identifier": "yield-"}, "identifier", "Use lowercase", id="dangling-dash"),
    pytest.param({"identifier": "i" * 81}, "identifier", "no more than 80 characters", id="identifier-length"),
    pytest.param({"identifier": "ok", "name": "n" * 121}, "name", "no more than 120 characters", id="name-length"),
    pytest.param({"identifier": "package_build"}, "identifier", "would share one generated Python module", id="clash"),
]


@pytest.mark.parametrize("body,field,message", WORKFLOW_WRITES)
def test_a_hostile_workflow_is_a_400_on_its_field_and_writes_nothing(owner, base, body, field, message):
    before = database_state()
    response = send(owner, "post", f"{base}/workflows/", body)
    assert response.status_code == 400, response.content[:500]
    assert any(message in text for text in response.json()[field]), response.json()
    assert database_state() == before


def test_a_workflow_rename_to_hostile_text_is_a_400(owner, wf_url):
    before = database_state()
    response = send(owner, "patch", f"{wf_url}/", {"name": "ok", "description": "a\ud800"})
    assert response.status_code == 400 and "lone surrogate" in response.json()["detail"]
    assert database_state() == before


def test_an_expected_version_beyond_any_stored_one_is_a_400(owner, wf_url):
    before = database_state()
    response = owner.delete(f"{wf_url}/", HTTP_IF_MATCH=f'"{10**30}"')
    assert response.status_code == 400 and "expected_version" in response.json()
    assert database_state() == before


def test_the_database_refuses_a_second_spelling_of_one_module(team):
    """The -/_ clash is a database constraint, not only a check: a write that skips the check still fails."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Workflow.objects.create(project=team.project, identifier="package_build", name="Twin")
    assert Workflow.objects.get(project=team.project, normalized_identifier="package-build").identifier == (
        "package-build"
    )


@pytest.mark.parametrize("method,suffix", [("get", ""), ("post", "restore/")])
def test_a_revision_number_beyond_any_stored_one_is_a_404(owner, wf_url, method, suffix):
    before = database_state()
    response = getattr(owner, method)(f"{wf_url}/revisions/{'9' * 30}/{suffix}", format="json")
    assert response.status_code == 404
    assert database_state() == before
