"""A workflow's revisions through the API: who saved what and when, and what changed between two of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows.services import edge_add, edge_delete, node_add, node_delete, node_update


@pytest.fixture
def wf_url(team):
    return f"/api/projects/{team.project.slug}/workflows/{team.workflow.identifier}"


def edit(team, count: int = 1) -> None:
    """`count` label changes of the check node by the editor (a revision each)."""
    for n in range(count):
        node_update(
            workflow=team.workflow, user=team.user("editor"), expected_version=None, key="check", label=f"Check {n}"
        )


def test_revisions_list_number_author_summary_and_time_newest_first(team, api_for, wf_url):
    edit(team)
    results = api_for("viewer").get(f"{wf_url}/revisions/").json()["results"]
    assert [(r["number"], r["author"], r["message"]) for r in results] == [
        (2, "eddie", "changed check"),
        (1, "olivia", "imported"),
    ]
    assert all(r["created"] for r in results)
    assert "snapshot" not in results[0]


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("suffix", ["", "?limit=100", "5/diff/", "5/diff/?from=1"])
def test_reading_revisions_costs_the_same_queries_however_many_there_are(team, api_for, wf_url, suffix):
    client = api_for("viewer")
    edit(team, 4)
    few = queries_of(client, f"{wf_url}/revisions/{suffix}")
    edit(team, 40)
    assert queries_of(client, f"{wf_url}/revisions/{suffix}") == few


def test_the_list_does_not_read_the_snapshots(team, api_for, wf_url):
    with CaptureQueriesContext(connection) as context:
        api_for("viewer").get(f"{wf_url}/revisions/")
    revision_queries = [q["sql"] for q in context if 'FROM "workflows_revision"' in q["sql"]]
    assert revision_queries and not any('"snapshot"' in sql for sql in revision_queries)


def test_diff_with_the_previous_revision_names_the_changed_node_and_field(team, api_for, wf_url):
    edit(team)
    body = api_for("viewer").get(f"{wf_url}/revisions/2/diff/").json()
    assert (body["from"], body["to"]) == (1, 2)
    assert body["nodes"] == {
        "added": [],
        "changed": [{"key": "check", "changes": [{"field": "label", "before": "Check", "after": "Check 0"}]}],
        "removed": [],
    }
    assert body["edges"] == {"added": [], "removed": []}
    assert body["workflow"] == []
    assert body["text"].startswith("--- revision 1\n+++ revision 2\n")
    assert '\n-      "label": "Check",\n+      "label": "Check 0",\n' in body["text"]


def test_diff_across_several_revisions_lists_added_changed_and_removed_nodes_and_edges(team, api_for, wf_url):
    editor = team.user("editor")
    workflow = team.workflow
    node_add(
        workflow=workflow, user=editor, expected_version=None, type="timer", label="Pause", config={"duration": "9"}
    )
    node_update(workflow=workflow, user=editor, expected_version=None, key="prepare", config={"name": "SETUP"})
    edge_add(
        workflow=workflow, user=editor, expected_version=None, source_key="build", target_key="pause", kind="error"
    )
    false_edge = workflow.edges.get(source__key="exists", kind="false")
    edge_delete(workflow=workflow, user=editor, expected_version=None, edge_id=false_edge.pk)
    node_delete(workflow=workflow, user=editor, expected_version=None, key="size")
    latest = workflow.revisions.first().number

    body = api_for("viewer").get(f"{wf_url}/revisions/{latest}/diff/?from=1").json()

    assert (body["from"], body["to"]) == (1, latest)
    nodes = body["nodes"]
    assert [(n["key"], n["type"], n["config"]["duration"]) for n in nodes["added"]] == [("pause", "timer", "9")]
    assert nodes["changed"] == [
        {"key": "prepare", "changes": [{"field": "config.name", "before": "PREPARE", "after": "SETUP"}]}
    ]
    assert [(n["key"], n["type"]) for n in nodes["removed"]] == [("size", "query")]
    assert body["edges"] == {
        "added": [{"name": "build -error-> pause", "source": "build", "target": "pause", "kind": "error"}],
        "removed": [{"name": "exists -false-> done", "source": "exists", "target": "done", "kind": "false"}],
    }
    assert '+      "key": "pause",' in body["text"] and '-      "key": "size",' in body["text"]


def test_diff_towards_an_older_revision_reads_backwards(team, api_for, wf_url):
    edit(team)
    body = api_for("viewer").get(f"{wf_url}/revisions/1/diff/?from=2").json()
    assert body["nodes"]["changed"][0]["changes"] == [{"field": "label", "before": "Check 0", "after": "Check"}]


def test_diff_of_a_revision_with_itself_is_empty(team, api_for, wf_url):
    body = api_for("viewer").get(f"{wf_url}/revisions/1/diff/?from=1").json()
    assert body["nodes"] == {"added": [], "changed": [], "removed": []}
    assert body["edges"] == {"added": [], "removed": []} and body["text"] == ""


def test_diff_of_the_first_revision_adds_everything(team, api_for, wf_url):
    body = api_for("viewer").get(f"{wf_url}/revisions/1/diff/").json()
    assert body["from"] is None and body["to"] == 1
    assert sorted(n["key"] for n in body["nodes"]["added"]) == sorted(team.workflow.nodes.values_list("key", flat=True))
    assert len(body["edges"]["added"]) == team.workflow.edges.count()
    assert body["text"].startswith("--- nothing\n+++ revision 1\n")


def test_diff_with_the_previous_revision_skips_numbers_that_were_never_stored(team, api_for, wf_url):
    """Revision numbers are workflow versions; a version without a revision is passed over."""
    edit(team, 2)
    team.workflow.revisions.filter(number=2).delete()
    body = api_for("viewer").get(f"{wf_url}/revisions/3/diff/").json()
    assert (body["from"], body["to"]) == (1, 3)


@pytest.mark.parametrize(
    "path,status,detail",
    [
        ("revisions/7/diff/", 404, "No revision 7 of package-build."),
        ("revisions/1/diff/?from=7", 404, "No revision 7 of package-build."),
        (f"revisions/{'9' * 30}/diff/", 404, None),
        ("revisions/1/diff/?from=0", 400, None),
        ("revisions/1/diff/?from=two", 400, None),
        (f"revisions/1/diff/?from={'9' * 30}", 400, None),
    ],
)
def test_diff_of_a_missing_revision_or_a_bad_from(api_for, wf_url, path, status, detail):
    response = api_for("viewer").get(f"{wf_url}/{path}")
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"from": "Must be a revision number, e.g. 3."}
    if detail:
        assert response.json() == {"detail": detail}


def test_the_schema_shows_the_diff_and_the_strict_import(api_for):
    schema = api_for("viewer").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    diff = paths["/api/projects/{project_slug}/workflows/{workflow_identifier}/revisions/{number}/diff/"]["get"]
    assert "from" in [p["name"] for p in diff["parameters"]]
    imported = paths["/api/projects/{project_slug}/workflows/import/"]["post"]
    assert "strict" in [p["name"] for p in imported["parameters"]]
    assert "deployable" in schema["components"]["schemas"]["ImportedWorkflow"]["properties"]
