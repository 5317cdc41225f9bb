"""Who may do what through the workflow, node, edge and revision API, per role."""

import pytest

from tests.factories import ROLES, sample_document
from workflows.node_types import NODE_TYPES

ANON, OUT, NO = 401, 404, 403
READ = (ANON, OUT, 200, 200, 200)
WF = "/api/projects/{slug}/workflows/{wf}"
WAIT = {"type": "timer", "label": "Wait", "config": {"duration": "5"}}

# (method, path, body, expected status for anonymous, outsider, viewer, editor, owner)
MATRIX = [
    ("get", "/api/projects/{slug}/workflows/", None, READ),
    ("post", "/api/projects/{slug}/workflows/", {"identifier": "new-flow"}, (ANON, OUT, NO, 201, 201)),
    ("post", "/api/projects/{slug}/workflows/import/", sample_document("imported"), (ANON, OUT, NO, 201, 201)),
    (
        "post",
        "/api/projects/{slug}/workflows/import/?strict=true",
        sample_document("imported"),
        (ANON, OUT, NO, 400, 400),
    ),
    ("get", WF + "/", None, READ),
    ("patch", WF + "/", {"name": "Renamed"}, (ANON, OUT, NO, 200, 200)),
    ("delete", WF + "/", None, (ANON, OUT, NO, 204, 204)),
    ("get", WF + "/export/", None, READ),
    ("get", WF + "/nodes/", None, READ),
    ("post", WF + "/nodes/", WAIT, (ANON, OUT, NO, 201, 201)),
    ("get", WF + "/nodes/check/", None, READ),
    ("patch", WF + "/nodes/check/", {"label": "Check again"}, (ANON, OUT, NO, 200, 200)),
    ("delete", WF + "/nodes/done/", None, (ANON, OUT, NO, 204, 204)),
    ("get", WF + "/edges/", None, READ),
    ("post", WF + "/edges/", {"source": "build", "target": "done", "kind": "error"}, (ANON, OUT, NO, 201, 201)),
    ("get", WF + "/edges/{edge}/", None, READ),
    ("delete", WF + "/edges/{edge}/", None, (ANON, OUT, NO, 204, 204)),
    ("get", WF + "/revisions/", None, READ),
    ("get", WF + "/revisions/1/", None, READ),
    ("get", WF + "/revisions/1/diff/", None, READ),
    ("get", WF + "/revisions/1/diff/?from=1", None, READ),
    ("post", WF + "/revisions/1/restore/", {}, (ANON, OUT, NO, 200, 200)),
    ("get", "/api/node-types/", None, (ANON, 200, 200, 200, 200)),
]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("method,path,body,expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_workflow_api_status_by_role(team, api_for, method, path, body, expected, role_index, role):
    edge = team.workflow.edges.first()
    url = path.format(slug=team.project.slug, wf=team.workflow.identifier, edge=edge.pk)
    response = getattr(api_for(role), method)(url, body, format="json")
    assert response.status_code == expected[role_index], response.content


@pytest.mark.parametrize(
    "path",
    [
        "/workflows/",
        "/workflows/secret-flow/",
        "/workflows/secret-flow/nodes/",
        "/workflows/secret-flow/edges/",
        "/workflows/secret-flow/revisions/",
        "/workflows/secret-flow/revisions/1/diff/",
    ],
)
def test_another_projects_workflow_is_404_for_a_member_elsewhere(team, api_for, path):
    response = api_for("owner").get(f"/api/projects/{team.other_project.slug}{path}")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["", "revisions/", "revisions/1/diff/"])
def test_workflow_of_another_project_is_not_reachable_through_my_project(team, api_for, path):
    response = api_for("owner").get(f"/api/projects/{team.project.slug}/workflows/secret-flow/{path}")
    assert response.status_code == 404


def test_workflow_list_shows_only_this_projects_workflows(team, api_for):
    response = api_for("viewer").get(f"/api/projects/{team.project.slug}/workflows/")
    assert [w["identifier"] for w in response.json()["results"]] == ["package-build"]


def test_workflow_list_counts_nodes(team, api_for):
    response = api_for("viewer").get(f"/api/projects/{team.project.slug}/workflows/")
    assert response.json()["results"][0]["node_count"] == team.workflow.nodes.count()


def test_node_types_list_every_registered_type_with_fields(team, api_for):
    types = {t["name"]: t for t in api_for("viewer").get("/api/node-types/").json()}
    assert list(types) == list(NODE_TYPES)  # in palette order
    trigger = next(f for f in types["start"]["fields"] if f["name"] == "trigger")
    assert trigger == {
        "name": "trigger",
        "kind": "choice",
        "label": "Trigger",
        "required": False,
        "default": "manual",
        "choices": ["manual", "cron"],
        "help": "",
    }


def test_node_types_list_container_slots_and_defaults(team, api_for):
    types = {t["name"]: t for t in api_for("viewer").get("/api/node-types/").json()}
    assert types["retry_block"]["slots"] == ["body", "remediation"]
    assert types["retry_block"]["defaults"]["max_attempts"] == 3
